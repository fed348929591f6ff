import Foundation

extension SpecialFunctions {
    // MARK: - Regularised incomplete beta function

    /// Regularised incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
    ///
    /// - Parameters:
    ///   - x: the point, 0 ≤ x ≤ 1.
    ///   - a, b: shapes, a > 0 and b > 0.
    /// - Returns: I_x(a, b) in [0, 1], accurate to about 1e-14 relative.
    ///
    /// The continued fraction of Numerical Recipes §6.4 (Press et al., 3rd ed., 2007), evaluated
    /// by the modified Lentz method, on whichever of I_x(a, b) and 1 − I_{1−x}(b, a) converges
    /// fast (x below (a + 1)/(a + b + 2)); the other is formed as its complement.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && b > 0, "regularizedBeta requires a > 0 and b > 0")
        precondition(x >= 0 && x <= 1, "regularizedBeta requires 0 ≤ x ≤ 1")
        return regularizedBeta(x, complement: 1 - x, a, b)
    }

    /// I_x(a, b) with y = 1 − x given exactly by the caller (no digits lost forming it).
    static func regularizedBeta(_ x: Double, complement y: Double, _ a: Double, _ b: Double) -> Double {
        if x == 0 { return 0 }
        if y == 0 { return 1 }
        if x < (a + 1) / (a + b + 2) { return betaContinuedFraction(x, y, a, b) }
        return 1 - betaContinuedFraction(y, x, b, a)
    }

    /// x^a y^b / (a B(a, b)) times the continued fraction of I_x(a, b), y = 1 − x.
    static func betaContinuedFraction(_ x: Double, _ y: Double, _ a: Double, _ b: Double) -> Double {
        let logFront = a * Foundation.log(x) + b * Foundation.log(y) - logBeta(a, b)
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 2 * Double.ulpOfOne { break }
        }
        return Foundation.exp(logFront) * h / a
    }

    /// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), without the cancellation of large ln Γ
    /// values: with the Stirling series (``stirlingRemainder(_:)``) for arguments ≥ 10.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let (small, large) = a < b ? (a, b) : (b, a)
        let halfLogTwoPi = 0.5 * Foundation.log(2 * Double.pi)
        if small >= 10 {
            let sum = a + b
            return (a - 0.5) * -Foundation.log1p(b / a) + (b - 0.5) * -Foundation.log1p(a / b) - 0.5 * Foundation.log(sum)
                + halfLogTwoPi + stirlingRemainder(a) + stirlingRemainder(b) - stirlingRemainder(sum)
        }
        if large >= 10 {
            // ln Γ(large + small) − ln Γ(large) from the Stirling series of both.
            let sum = large + small
            let ratio = (large - 0.5) * Foundation.log1p(small / large) + small * Foundation.log(sum) - small
                + stirlingRemainder(sum) - stirlingRemainder(large)
            return logGamma(small) - ratio
        }
        return logGamma(a) + logGamma(b) - logGamma(a + b)
    }

    // MARK: - Student's t distribution

    /// Cumulative distribution function of Student's t with ν degrees of freedom.
    ///
    /// - Parameters:
    ///   - t: the point (±∞ allowed).
    ///   - nu: degrees of freedom, ν > 0 (need not be an integer).
    /// - Returns: Pr(T ≤ t). The tail beyond |t| is ½ I_{ν/(ν+t²)}(ν/2, ½), formed directly so
    ///   that small p-values keep their relative precision; R's `pt(t, nu)`.
    public static func studentTCDF(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "studentTCDF requires ν > 0")
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = studentTTail(abs(t), nu)
        return t > 0 ? 1 - tail : tail
    }

    /// Pr(T > t) for t ≥ 0.
    static func studentTTail(_ t: Double, _ nu: Double) -> Double {
        let t2 = t * t
        // Both x = ν/(ν+t²) and 1 − x = t²/(ν+t²) formed directly, so neither loses digits.
        return 0.5 * regularizedBeta(nu / (nu + t2), complement: t2 / (nu + t2), nu / 2, 0.5)
    }

    /// Density of Student's t with ν degrees of freedom.
    static func studentTDensity(_ t: Double, _ nu: Double) -> Double {
        Foundation.exp(logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Foundation.log(nu * Double.pi)
            - (nu + 1) / 2 * Foundation.log1p(t * t / nu))
    }

    /// Quantile function of Student's t with ν degrees of freedom.
    ///
    /// - Parameters:
    ///   - p: probability, 0 ≤ p ≤ 1.
    ///   - nu: degrees of freedom, ν > 0 (need not be an integer).
    /// - Returns: the t with Pr(T ≤ t) = p (−∞ for p = 0, +∞ for p = 1); R's `qt(p, nu)` and
    ///   `scipy.stats.t.ppf(p, nu)` to about 1e-12 relative (fixture in `StudentTTests`).
    ///
    /// Closed forms for ν = 1 and 2; otherwise Newton's method on the tail probability from the
    /// normal quantile, kept inside a bisection bracket.
    public static func studentTQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "studentTQuantile requires ν > 0")
        precondition(p >= 0 && p <= 1, "studentTQuantile requires 0 ≤ p ≤ 1")
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let upper = p > 0.5
        let tail = upper ? 1 - p : p  // the tail probability beyond |t|
        var t: Double
        if nu == 1 {
            t = 1 / Foundation.tan(Double.pi * tail)
        } else if nu == 2 {
            let a = 4 * tail * (1 - tail)
            t = ((2 / a) - 2).squareRoot()
        } else {
            // Solve Pr(T > t) = tail for t > 0.
            var lo = 0.0, hi = Double.infinity
            t = max(-normalQuantile(tail), 1e-3)
            for _ in 0..<200 {
                let f = studentTTail(t, nu) - tail
                if f > 0 { lo = t } else { hi = t }
                if f == 0 { break }
                var next = t + f / studentTDensity(t, nu)
                if !(next > lo && next < hi) || !next.isFinite {
                    next = hi.isFinite ? (lo + hi) / 2 : max(2 * t, lo * 2 + 1)
                }
                if abs(next - t) <= 1e-15 * t { t = next; break }
                t = next
            }
        }
        return upper ? t : -t
    }
}
