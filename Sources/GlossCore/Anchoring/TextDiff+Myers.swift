/// Myers' O(ND) difference algorithm, linear-space version ("An O(ND) Difference Algorithm and
/// Its Variations", 1986, section 4b): find the middle snake of a shortest edit script by
/// searching from both ends at once, then solve the two halves. Time O((N + M) · D), memory
/// O(N + M) however large D grows.
///
/// O((N + M) · D) is quadratic when two texts share little, so the search has a budget
/// (`limit`, in work units: a diagonal probed or a pair of scalars compared). When it runs
/// out, the range being solved is handed to `fallback` (a cheaper alignment), or counted as
/// one deletion and one insertion, as diff-match-patch does when its deadline passes; what
/// was already solved stays solved.
struct Myers {
    let a: [UInt32], b: [UInt32]
    private var forward: [Int] = [], backward: [Int] = []
    /// The work done so far, and the most this diff may do.
    private(set) var work = 0
    var limit: Int
    /// Whether the budget ran out somewhere (some range came out coarser than shortest).
    private(set) var exhausted = false

    init(_ a: [UInt32], _ b: [UInt32], limit: Int = .max) {
        self.a = a
        self.b = b
        self.limit = limit
    }

    /// Appends an edit script turning `a[old]` into `b[new]`: a shortest one while the budget
    /// lasts; past it, `fallback`'s alignment of what is left (or all deleted, all inserted).
    mutating func diff(_ old: Range<Int>, _ new: Range<Int>, into script: inout EditScript,
                       fallback: ((Range<Int>, Range<Int>, inout EditScript) -> Void)? = nil) {
        var (aLo, aHi, bLo, bHi) = (old.lowerBound, old.upperBound, new.lowerBound, new.upperBound)
        var prefix = 0
        while aLo < aHi, bLo < bHi, a[aLo] == b[bLo] { aLo += 1; bLo += 1; prefix += 1 }
        var suffix = 0
        while aLo < aHi, bLo < bHi, a[aHi - 1] == b[bHi - 1] { aHi -= 1; bHi -= 1; suffix += 1 }
        work += prefix + suffix + 1
        script.append(.kept, prefix)
        if aLo == aHi || bLo == bHi {
            script.append(.deleted, aHi - aLo)
            script.append(.inserted, bHi - bLo)
        } else if let (x, y, u, v) = middleSnake(aLo, aHi, bLo, bHi) {
            diff(aLo..<x, bLo..<y, into: &script, fallback: fallback)
            script.append(.kept, u - x)
            diff(u..<aHi, v..<bHi, into: &script, fallback: fallback)
        } else {
            exhausted = true
            if let fallback {
                fallback(aLo..<aHi, bLo..<bHi, &script)
            } else {
                script.append(.deleted, aHi - aLo)
                script.append(.inserted, bHi - bLo)
            }
        }
        script.append(.kept, suffix)
    }

    /// The middle snake of a shortest path from (aLo, bLo) to (aHi, bHi), as its start (x, y)
    /// and end (u, v) in absolute offsets; nil when the budget runs out first. The ends differ
    /// (prefix and suffix are trimmed), so the path has D ≥ 2 and each half is strictly smaller.
    private mutating func middleSnake(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> (Int, Int, Int, Int)? {
        guard work < limit else { return nil }
        let n = aHi - aLo, m = bHi - bLo
        let delta = n - m, odd = delta & 1 != 0
        // Probing up to d costs about d² units: no search within the budget goes further, so
        // the arrays need not be sized for the worst D (which, for texts of megabytes, they
        // would be in the hundreds of megabytes).
        let maxD = min((n + m + 1) / 2, Int(Double(limit - work).squareRoot()) + 2)
        // The two searches meet at d = ⌈D / 2⌉, and D is at least the difference in length:
        // when the budget cannot reach that far, say so now rather than after spending it.
        if (abs(delta) + 1) / 2 > maxD { return nil }
        let offset = maxD + 1
        if forward.count < 2 * offset + 1 {
            forward = [Int](repeating: 0, count: 2 * offset + 1)
            backward = [Int](repeating: 0, count: 2 * offset + 1)
        }
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        // Plain loops and no tuples: a debug build runs this part tens of times slower otherwise.
        for d in 0...maxD {
            work += 2 * d + 2
            if work > limit { return nil }
            var k = -d
            while k <= d {
                var x = k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1])
                    ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n, y < m, a[aLo + x] == b[bLo + y] { x += 1; y += 1 }
                work += x - x0
                forward[offset + k] = x
                let other = delta - k
                if odd, other >= -(d - 1), other <= d - 1, x + backward[offset + other] >= n {
                    return (aLo + x0, bLo + y0, aLo + x, bLo + y)
                }
                k += 2
            }
            k = -d
            while k <= d {
                var x = k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1])
                    ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                var y = x - k
                let x0 = x, y0 = y
                while x < n, y < m, a[aHi - 1 - x] == b[bHi - 1 - y] { x += 1; y += 1 }
                work += x - x0
                backward[offset + k] = x
                let other = delta - k
                if !odd, other >= -d, other <= d, x + forward[offset + other] >= n {
                    return (aLo + n - x, bLo + m - y, aLo + n - x0, bLo + m - y0)
                }
                k += 2
            }
        }
        // The paths meet by d = ⌈(N + M) / 2⌉; stopping before that means the budget ended the search.
        return nil
    }
}
