/// Myers' O(ND) difference algorithm, linear-space version ("An O(ND) Difference Algorithm and
/// Its Variations", 1986, section 4b): find the middle snake of a shortest edit script by
/// searching from both ends at once, then solve the two halves. Time O((N + M) · D), memory
/// O(N + M) however large D grows.
struct Myers {
    let a: [UInt32], b: [UInt32]
    private var forward: [Int] = [], backward: [Int] = []

    init(_ a: [UInt32], _ b: [UInt32]) {
        self.a = a
        self.b = b
    }

    /// Appends a shortest edit script turning `a[old]` into `b[new]`.
    mutating func diff(_ old: Range<Int>, _ new: Range<Int>, into script: inout EditScript) {
        var (aLo, aHi, bLo, bHi) = (old.lowerBound, old.upperBound, new.lowerBound, new.upperBound)
        var prefix = 0
        while aLo < aHi, bLo < bHi, a[aLo] == b[bLo] { aLo += 1; bLo += 1; prefix += 1 }
        var suffix = 0
        while aLo < aHi, bLo < bHi, a[aHi - 1] == b[bHi - 1] { aHi -= 1; bHi -= 1; suffix += 1 }
        script.append(.kept, prefix)
        if aLo == aHi || bLo == bHi {
            script.append(.deleted, aHi - aLo)
            script.append(.inserted, bHi - bLo)
        } else {
            let (x, y, u, v) = middleSnake(aLo, aHi, bLo, bHi)
            diff(aLo..<x, bLo..<y, into: &script)
            script.append(.kept, u - x)
            diff(u..<aHi, v..<bHi, into: &script)
        }
        script.append(.kept, suffix)
    }

    /// The middle snake of a shortest path from (aLo, bLo) to (aHi, bHi), as its start (x, y)
    /// and end (u, v) in absolute offsets. The ends differ (prefix and suffix are trimmed), so
    /// the path has D ≥ 2 and each half is strictly smaller.
    private mutating func middleSnake(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> (Int, Int, Int, Int) {
        let n = aHi - aLo, m = bHi - bLo
        let delta = n - m, odd = delta & 1 != 0
        let maxD = (n + m + 1) / 2
        let offset = maxD + 1
        if forward.count < 2 * offset + 1 {
            forward = [Int](repeating: 0, count: 2 * offset + 1)
            backward = [Int](repeating: 0, count: 2 * offset + 1)
        }
        forward[offset + 1] = 0
        backward[offset + 1] = 0
        for d in 0...maxD {
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1])
                    ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                var y = x - k
                let (x0, y0) = (x, y)
                while x < n, y < m, a[aLo + x] == b[bLo + y] { x += 1; y += 1 }
                forward[offset + k] = x
                let other = delta - k
                if odd, other >= -(d - 1), other <= d - 1, x + backward[offset + other] >= n {
                    return (aLo + x0, bLo + y0, aLo + x, bLo + y)
                }
            }
            for k in stride(from: -d, through: d, by: 2) {
                var x = k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1])
                    ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                var y = x - k
                let (x0, y0) = (x, y)
                while x < n, y < m, a[aHi - 1 - x] == b[bHi - 1 - y] { x += 1; y += 1 }
                backward[offset + k] = x
                let other = delta - k
                if !odd, other >= -d, other <= d, x + forward[offset + other] >= n {
                    return (aLo + n - x, bLo + m - y, aLo + n - x0, bLo + m - y0)
                }
            }
        }
        // Unreachable: the paths meet by d = ⌈(N + M) / 2⌉. Were they not to, deleting all and
        // inserting all is still a correct (if not shortest) script.
        return (aHi, bLo, aHi, bLo)
    }
}
