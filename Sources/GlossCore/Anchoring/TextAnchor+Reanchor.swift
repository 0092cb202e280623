/// Carrying a target over to another version of the text (a report that revises another).
extension TextAnchor {
    /// Where `target`'s quote stands in this text: the occurrence whose surrounding text best
    /// matches the quote's prefix and suffix, the nearest to the old position on a tie; nil when
    /// the quoted text is gone.
    public func reanchor(_ target: Target) -> Target? {
        let found = occurrences(of: target.quote.exact)
        let prefix = Array(target.quote.prefix.unicodeScalars), suffix = Array(target.quote.suffix.unicodeScalars)
        func score(_ range: Range<Int>) -> Int {
            var same = 0
            while same < prefix.count, range.lowerBound - same - 1 >= 0,
                  scalars[range.lowerBound - same - 1] == prefix[prefix.count - same - 1] { same += 1 }
            var after = 0
            while after < suffix.count, range.upperBound + after < scalars.count,
                  scalars[range.upperBound + after] == suffix[after] { after += 1 }
            return same + after
        }
        let best = found.max { a, b in
            let (sa, sb) = (score(a), score(b))
            if sa != sb { return sa < sb }
            return abs(a.lowerBound - target.position.start) > abs(b.lowerBound - target.position.start)
        }
        return best.map { self.target(for: $0) }
    }
}
