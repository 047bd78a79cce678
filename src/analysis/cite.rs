//! Citation text, in one place, so a figure reads the same in kwic, exports and reports:
//! "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19".

use crate::corpus::Meta;

/// The citation of a place in a document: the unit label with the document's symbol after the
/// decision (or the document's short name before the label), and the page when there is one.
pub fn citation(meta: &Meta, unit: &str, page: Option<u32>) -> String {
    let symbol = if meta.symbol.is_empty() {
        String::new()
    } else {
        format!(" ({})", meta.symbol)
    };
    let (head, rest) = unit
        .split_once(", ")
        .map_or((unit, None), |(h, r)| (h, Some(r)));
    let lead = head.starts_with("decision ")
        || head.starts_with("resolution ")
        || head.starts_with("décision ")
        || head.starts_with("decisión ");
    let mut out = if lead {
        let mut h = head.to_string();
        if let Some(c) = h.get(..1) {
            h.replace_range(..1, &c.to_uppercase());
        }
        match rest {
            Some(r) => format!("{h}{symbol}, {r}"),
            None => format!("{h}{symbol}"),
        }
    } else if meta.symbol.starts_with("A/RES/") {
        // A General Assembly resolution is cited by its symbol: "A/RES/73/195, annex, para. 18(b)".
        format!("{}, {unit}", meta.symbol)
    } else {
        format!("{}{symbol}, {unit}", meta.short)
    };
    if let Some(p) = page {
        out.push_str(&format!(", p. {p}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_carry_their_symbol_other_documents_their_short_name() {
        let paris = Meta {
            short: "Paris".into(),
            symbol: "FCCC/CP/2015/10/Add.1".into(),
            ..Meta::default()
        };
        assert_eq!(
            citation(&paris, "decision 1/CP.21, para. 133", Some(19)),
            "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), para. 133, p. 19"
        );
        assert_eq!(
            citation(&paris, "decision 1/CP.21", Some(2)),
            "Decision 1/CP.21 (FCCC/CP/2015/10/Add.1), p. 2"
        );
        let gcm = Meta {
            short: "GCM".into(),
            symbol: "A/RES/73/195".into(),
            ..Meta::default()
        };
        assert_eq!(
            citation(&gcm, "annex, para. 18(b) (objective 2)", Some(9)),
            "A/RES/73/195, annex, para. 18(b) (objective 2), p. 9"
        );
        let extract = Meta {
            short: "GCM (objectives)".into(),
            symbol: "A/RES/73/195".into(),
            ..Meta::default()
        };
        assert_eq!(
            citation(&extract, "objective 2(b)", None),
            "A/RES/73/195, objective 2(b)"
        );
    }
}
