//! The statistics of corpus linguistics, each a small function with its formula and reference
//! (docs/statistics.md has the worked examples). Every output that shows one also shows the
//! raw frequencies it was computed from, so a reader can recompute it.
//!
//! Notation: for keyness, `a` and `b` are the word's frequencies in the target and the
//! reference, `c` and `d` their sizes in words. For collocation, `o` is the observed frequency of
//! the collocate in the node's span, `f_node` and `f_coll` the frequencies of node and collocate
//! in the corpus, `n` its size, `span` the number of positions looked at around each node.

/// Expected frequency of a collocate in the node's span under independence (Evert 2008, sec.
/// 3): E = f_node · f_coll · span / N — each of the f_node occurrences of the node looks at
/// `span` positions, each of which holds the collocate with probability f_coll / N.
pub fn expected(f_node: f64, f_coll: f64, span: f64, n: f64) -> f64 {
    if n <= 0.0 {
        0.0
    } else {
        f_node * f_coll * span / n
    }
}

/// Mutual information (Church and Hanks 1990): MI = log2(O / E). `None` when O or E is 0.
pub fn mi(o: f64, e: f64) -> Option<f64> {
    (o > 0.0 && e > 0.0).then(|| (o / e).log2())
}

/// t-score (Church et al. 1991; Evert 2008): t = (O − E) / √O. `None` when O is 0.
pub fn t_score(o: f64, e: f64) -> Option<f64> {
    (o > 0.0).then(|| (o - e) / o.sqrt())
}

/// log-Dice (Rychlý 2008): 14 + log2(2·O / (f_node + f_coll)); at most 14, stable at low
/// frequency and independent of the corpus size. `None` when O is 0.
pub fn log_dice(o: f64, f_node: f64, f_coll: f64) -> Option<f64> {
    (o > 0.0 && f_node + f_coll > 0.0).then(|| 14.0 + (2.0 * o / (f_node + f_coll)).log2())
}

/// x·ln(x / e), with the limit 0 at x = 0 (Rayson's note on the LL wizard).
fn xlnx(x: f64, e: f64) -> f64 {
    if x <= 0.0 || e <= 0.0 {
        0.0
    } else {
        x * (x / e).ln()
    }
}

/// The two-term log-likelihood of Rayson and Garside (2000), as UCREL's LL wizard computes it:
/// E1 = c(a+b)/(c+d), E2 = d(a+b)/(c+d), G2 = 2[a ln(a/E1) + b ln(b/E2)].
pub fn g2_two_term(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = c + d;
    if n <= 0.0 {
        return 0.0;
    }
    let (e1, e2) = (c * (a + b) / n, d * (a + b) / n);
    2.0 * (xlnx(a, e1) + xlnx(b, e2))
}

/// The four-cell log-likelihood G2 (Dunning 1993; the 2×2 table of Rayson and Garside 2000,
/// as AntConc's "4-term" and quanteda's `lr`): the two-term form plus the cells of the other
/// words, (c−a) ln((c−a)/E3) + (d−b) ln((d−b)/E4) with E3 = c(c+d−a−b)/(c+d) and
/// E4 = d(c+d−a−b)/(c+d). Unsigned; see [`signed`].
pub fn g2(a: f64, b: f64, c: f64, d: f64) -> f64 {
    let n = c + d;
    if n <= 0.0 {
        return 0.0;
    }
    let rest = n - a - b;
    let (e1, e2) = (c * (a + b) / n, d * (a + b) / n);
    let (e3, e4) = (c * rest / n, d * rest / n);
    (2.0 * (xlnx(a, e1) + xlnx(b, e2) + xlnx(c - a, e3) + xlnx(d - b, e4))).max(0.0)
}

/// A keyness statistic signed by direction: positive when the word is relatively more frequent
/// in the target (a/c > b/d), negative when less (the LL wizard's "+" and "−").
pub fn signed(stat: f64, a: f64, b: f64, c: f64, d: f64) -> f64 {
    if c > 0.0 && d > 0.0 && a / c < b / d {
        -stat
    } else {
        stat
    }
}

/// The p-value of a G2 (or chi-squared) statistic with one degree of freedom:
/// p = P(χ²₁ ≥ G2) = erfc(√(G2/2)).
pub fn p_value(g2: f64) -> f64 {
    erfc((g2.abs() / 2.0).sqrt()).clamp(0.0, 1.0)
}

/// Log Ratio (Hardie 2014): log2((a/c) / (b/d)), the binary log of the ratio of relative
/// frequencies; 0 = as frequent in both, +1 = twice as frequent in the target. A zero
/// frequency is replaced by 0.5 (as CQPweb does), so a word absent from one side gets a finite
/// value; the raw frequencies beside it show that it was 0.
pub fn log_ratio(a: f64, b: f64, c: f64, d: f64) -> Option<f64> {
    if c <= 0.0 || d <= 0.0 {
        return None;
    }
    let (a, b) = (if a > 0.0 { a } else { 0.5 }, if b > 0.0 { b } else { 0.5 });
    Some(((a / c) / (b / d)).log2())
}

/// Gries's DP (Gries 2008, "Dispersions and adjusted frequencies in corpora"), over parts of
/// sizes `sizes` in which the word occurs `freqs` times: DP = ½ Σ |v_i − s_i|, v_i the share
/// of the word's occurrences in part i, s_i the share of the corpus in part i. 0 = spread as
/// evenly as the parts' sizes, near 1 = all in one small part. `None` for a word that does not
/// occur or an empty corpus.
pub fn dp(freqs: &[f64], sizes: &[f64]) -> Option<f64> {
    let (f, n): (f64, f64) = (freqs.iter().sum(), sizes.iter().sum());
    (f > 0.0 && n > 0.0).then(|| {
        0.5 * freqs
            .iter()
            .zip(sizes)
            .map(|(v, s)| (v / f - s / n).abs())
            .sum::<f64>()
    })
}

/// [`dp`] from the parts where the word occurs only, as (frequency, part size), and the sum
/// of all parts' sizes: DP = ½ (Σ_occ |v_i − s_i| + Σ_not s_i) = ½ (Σ_occ |v_i − s_i| + 1 −
/// Σ_occ s_i). The same figure without a vector per word of every part.
pub fn dp_sparse(occ: &[(f64, f64)], total_size: f64) -> Option<f64> {
    let f: f64 = occ.iter().map(|x| x.0).sum();
    (f > 0.0 && total_size > 0.0).then(|| {
        let mut sum = DpSum::default();
        for (v, s) in occ {
            sum.add(v / f, s / total_size);
        }
        sum.dp()
    })
}

/// [`dp_sparse`] gathered one part at a time, in any order, with the same result whatever the
/// order: each term is rounded to a multiple of 2⁻⁶⁰ and added as an integer, so the figure
/// does not depend on how the index happens to be split into segments. (Each term's rounding
/// error is below 10⁻¹⁸; DP is printed to three decimals.)
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DpSum {
    near: u128,
    covered: u128,
}

const DP_ONE: f64 = (1u64 << 60) as f64;

impl DpSum {
    /// Adds a part where the word occurs: `v` its share of the word's occurrences (c_i / f),
    /// `s` its share of the corpus (size_i / total).
    pub fn add(&mut self, v: f64, s: f64) {
        self.near += ((v - s).abs() * DP_ONE).round() as u128;
        self.covered += (s * DP_ONE).round() as u128;
    }

    /// DP = ½ (Σ_occ |v_i − s_i| + 1 − Σ_occ s_i), at least 0.
    pub fn dp(&self) -> f64 {
        let near = self.near as f64 / DP_ONE;
        let covered = self.covered as f64 / DP_ONE;
        (0.5 * (near + 1.0 - covered)).max(0.0)
    }
}

/// The complementary error function, to 1.2e-7 (Numerical Recipes, `erfcc`, a Chebyshev
/// fit): enough for a p-value printed to four significant digits.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Rounds to `places` decimals for output (the raw frequencies stay whole).
pub fn round(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m).round() / m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_equals_the_ucrel_wizards_worked_example() {
        // Lancaster's teaching example for the UCREL LL wizard: a word 52 times in a corpus of
        // 50,000 words and 57 times in one of 75,000: "Word 52 0.10 57 0.08 + 2.65".
        let g = g2_two_term(52.0, 57.0, 50_000.0, 75_000.0);
        assert!((g - 2.65).abs() < 0.005, "{g}");
        assert!(signed(g, 52.0, 57.0, 50_000.0, 75_000.0) > 0.0);
        // The four-cell form adds the other words' cells: a little more, never less.
        let g4 = g2(52.0, 57.0, 50_000.0, 75_000.0);
        assert!(g4 >= g && g4 - g < 0.01, "{g4} {g}");
        // Below 3.84 (p < .05) it is not significant: p > .05.
        assert!(p_value(g) > 0.05 && p_value(g) < 0.2, "{}", p_value(g));
        assert!((p_value(3.841_459) - 0.05).abs() < 1e-4);
        assert!((p_value(10.827_566) - 0.001).abs() < 1e-5);
    }

    #[test]
    fn mutual_information_and_t_score_equal_published_examples() {
        // collogetr's MI_compute example: "tindak pidana", 702 together, 1,183 and 1,251 alone,
        // a corpus of 5,763,049 words: MI 11.41663.
        let e = expected(1183.0, 1251.0, 1.0, 5_763_049.0);
        assert!((mi(702.0, e).unwrap() - 11.41663).abs() < 1e-4);
        // HarperCollins Wordbanks Online (about 550 million words): "sour" 4,109 times, "puss"
        // 254, together 3 times, t-score 1.73 (the expected frequency is negligible beside 3).
        let e = expected(4109.0, 254.0, 1.0, 550_000_000.0);
        assert!((t_score(3.0, e).unwrap() - 1.73).abs() < 0.005);
        assert_eq!(mi(0.0, 1.0), None);
    }

    #[test]
    fn dp_summed_in_any_order_is_the_same_number_and_the_dense_formula() {
        // Gries (2008)'s example: parts of sizes 1..5 (of 15), the word 1, 2, 3, 4, 0 times.
        let occ = [(1.0, 1.0), (2.0, 2.0), (3.0, 3.0), (4.0, 4.0)];
        let dense = dp(&[1.0, 2.0, 3.0, 4.0, 0.0], &[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        let sparse = dp_sparse(&occ, 15.0).unwrap();
        assert!((dense - sparse).abs() < 1e-12, "{dense} {sparse}");
        let mut forward = DpSum::default();
        let mut backward = DpSum::default();
        for (v, s) in occ {
            forward.add(v / 10.0, s / 15.0);
        }
        for (v, s) in occ.iter().rev() {
            backward.add(v / 10.0, s / 15.0);
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.dp().to_bits(), sparse.to_bits());
    }

    #[test]
    fn log_dice_log_ratio_and_dp_follow_their_definitions() {
        // log-Dice is 14 when node and collocate always occur together.
        assert_eq!(log_dice(10.0, 10.0, 10.0), Some(14.0));
        assert!((log_dice(1.0, 100.0, 100.0).unwrap() - (14.0 - 100f64.log2())).abs() < 1e-12);
        // Log Ratio: twice as frequent is +1; a zero counts as 0.5.
        assert!((log_ratio(20.0, 10.0, 1000.0, 1000.0).unwrap() - 1.0).abs() < 1e-12);
        assert!((log_ratio(4.0, 0.0, 1000.0, 1000.0).unwrap() - 3.0).abs() < 1e-12);
        // DP: spread as the parts' sizes is 0; all in one of two equal parts is 0.5.
        assert_eq!(dp(&[1.0, 1.0], &[10.0, 10.0]), Some(0.0));
        assert_eq!(dp(&[2.0, 0.0], &[10.0, 10.0]), Some(0.5));
        // Gries 2008's example: a corpus of five equal parts, the word in the first alone.
        assert!((dp(&[4.0, 0.0, 0.0, 0.0, 0.0], &[1.0; 5]).unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(dp(&[0.0], &[5.0]), None);
        // The sparse form gives the same figure.
        let sizes = [3.0, 5.0, 2.0, 10.0];
        let freqs = [1.0, 0.0, 4.0, 0.0];
        let occ: Vec<(f64, f64)> = vec![(1.0, 3.0), (4.0, 2.0)];
        assert!((dp(&freqs, &sizes).unwrap() - dp_sparse(&occ, 20.0).unwrap()).abs() < 1e-12);
    }
}
