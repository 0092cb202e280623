#!/usr/bin/env python3
"""Checks a `gloss export --format w3c` file with third-party tools, offline.

    w3c-check.py validate FILE   the W3C web-annotation-tests "must" schemas (draft-04): the
                                 collection against the 10 collection musts, its page against
                                 the 15 page musts, every annotation against the 54 annotation
                                 musts. Prints one line per suite; exits 1 on any failure.
    w3c-check.py expand FILE     the file expanded by a JSON-LD processor (pyld), as JSON on
                                 standard output, for a test to look for Gloss's terms in.
    w3c-check.py roundtrip FILE  expands, compacts back with the file's own @context and
                                 compares: any property the context does not define is dropped
                                 by expansion and shows here as a difference (exit 1).

The suite's schemas and the anno.jsonld context come from Tests/Fixtures/w3c (copied from the
W3C's repositories, see its README); nothing is fetched: a context other than anno.jsonld is
an error. Embedded pages and annotations carry no @context of their own (the model puts it on
the outermost object), so they are validated with the collection's, as the suite expects of a
document served on its own. Run by the Swift tests with the venv scripts/brief-tools.sh makes.
"""
import copy
import json
import pathlib
import sys

from jsonschema import Draft4Validator
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = pathlib.Path(__file__).resolve().parent.parent
W3C = ROOT / "Tests" / "Fixtures" / "w3c"
SUITE = W3C / "web-annotation-tests"
ANNO = "http://www.w3.org/ns/anno.jsonld"


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def registry():
    """Every schema of the suite and its shared definitions, keyed by their relative ids."""
    resources = []
    for path in sorted(SUITE.rglob("*.json")):
        schema = load(path)
        resource = Resource.from_contents(schema, default_specification=DRAFT4)
        resources.append((schema.get("id", path.name), resource))
    return Registry().with_resources(resources)


def musts(test_file):
    return [load(SUITE / name) for name in load(SUITE / test_file)["assertions"]]


def failures(instance, schemas, registry):
    """The titles of the schemas whose expected result `instance` does not give."""
    failed = []
    for schema in schemas:
        validator = Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)
        valid = validator.is_valid(instance)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failed.append(f'{schema.get("id")}: {schema.get("errorMessage", schema.get("title"))}')
    return failed


def validate(document):
    reg = registry()
    suites = [
        ("collection", "collections/collectionMusts.test", [document]),
        ("page", "collections/pages/pageMusts.test", [document["first"]]),
        ("annotation", "annotations/annotationMusts.test", document["first"].get("items", [])),
    ]
    ok = True
    for name, test_file, instances in suites:
        schemas = musts(test_file)
        bad = 0
        for instance in instances:
            standalone = dict(instance)
            standalone.setdefault("@context", document["@context"])
            failed = failures(standalone, schemas, reg)
            if failed:
                bad += 1
                ok = False
                print(f'{name} {instance.get("id")}: {len(failed)} of {len(schemas)} musts failed', file=sys.stderr)
                for line in failed:
                    print("  " + line, file=sys.stderr)
        print(f"{name} musts: {len(schemas)} schemas x {len(instances)} {name}(s), {len(instances) - bad} passed, {bad} failed")
    return ok


def loader(url, options=None):
    """anno.jsonld from the local copy; anything else is refused (no network)."""
    if url.rstrip("/") in (ANNO, ANNO.replace("http:", "https:")):
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": load(W3C / "anno.jsonld")}
    raise jsonld.JsonLdError(f"refusing to fetch {url}: offline", "loading document failed")


def expand(document):
    return jsonld.expand(document, {"documentLoader": loader})


def normalise(value):
    """Single values and one-element arrays alike; dicts key-sorted, for comparison."""
    if isinstance(value, list):
        items = [normalise(v) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in sorted(value.items())}
    return value


def differences(a, b, path="$"):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in b:
                out.append(f"{path}.{key}: dropped")
            elif key not in a:
                out.append(f"{path}.{key}: added")
            else:
                out += differences(a[key], b[key], f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {json.dumps(a, ensure_ascii=False)[:80]} became {json.dumps(b, ensure_ascii=False)[:80]}"]


def properties(expanded):
    """Every property IRI in an expanded document."""
    if isinstance(expanded, list):
        return set().union(*(properties(v) for v in expanded)) if expanded else set()
    if isinstance(expanded, dict):
        own = {k for k in expanded if not k.startswith("@")}
        return own.union(*(properties(v) for v in expanded.values()))
    return set()


def roundtrip(document):
    expanded = expand(document)
    compacted = jsonld.compact(expanded, {"@context": document["@context"]}, {"documentLoader": loader})
    diff = differences(normalise(document), normalise(compacted))
    # An undefined prefix is not dropped but mangled: "gloss:status" becomes an IRI of a scheme "gloss".
    diff += [f"{iri}: not a full IRI (is its prefix defined?)" for iri in sorted(properties(expanded))
             if not iri.startswith(("http://", "https://", "urn:"))]
    for line in diff:
        print(line, file=sys.stderr)
    print(f"round trip through expansion: {len(diff)} difference(s)")
    return not diff


def main(argv):
    if len(argv) != 3 or argv[1] not in ("validate", "expand", "roundtrip"):
        print(__doc__, file=sys.stderr)
        return 2
    document = load(argv[2])
    if argv[1] == "validate":
        return 0 if validate(document) else 1
    if argv[1] == "expand":
        json.dump(expand(document), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    return 0 if roundtrip(copy.deepcopy(document)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
