-- Re-materialising an annotation replaces its tag rows by annotation id; without this index
-- each replacement scanned every tag row of the replica (quadratic over a long pull).
CREATE INDEX annotation_tags_by_annotation ON annotation_tags(annotation);
