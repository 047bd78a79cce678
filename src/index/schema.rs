//! The tantivy schema: the only place field names live.
//!
//! One tantivy document per citable unit (`record` = "unit"), plus one per corpus document
//! (`record` = "doc") holding its metadata, quality record and index-time counts as JSON in
//! fast columns (read without touching the document store), and its whole text, stored.
//! Keeping document records in the same index means one commit updates both: the index is
//! never half old, half new.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

/// Name of the analyzer used for unit text: alphanumeric runs, lowercased, which is exactly
/// the tokenization of [`crate::extract::normalize::tokens`].
pub const TOKENIZER: &str = "menutable";

/// Value of `record` for unit documents.
pub const UNIT: &str = "unit";
/// Value of `record` for document records.
pub const DOC: &str = "doc";
/// Name of the document-record column (JSON of `index::DocRecord`). The name carries the
/// record's layout version: a new layout gets a new name, the schema then differs, and `index`
/// rebuilds an older index instead of misreading it (v2: metadata nested, not flattened; v3:
/// long values in [`pieces`]).
pub const META: &str = "record_v3";
/// Name of the document-id field (a fast column too: kwic maps matching units to documents).
pub const DOC_ID: &str = "doc_id";
/// Name of the document-head column (JSON of `index::DocHead`: what `count` reads; v2: kind and binding, for `--kind`
/// and `--binding`; v3: long values in [`pieces`]).
pub const HEAD: &str = "head_v3";

/// Name of the word-tally column (JSON of [`crate::index::tally::WordTally`], in [`pieces`]):
/// every document's words with their frequencies, what `freq`, `keyness` and `collocates`
/// add up instead of tokenising the text again.
pub const WORDS: &str = "words_v1";

/// Name of the role-tally column (JSON of [`crate::index::tally::RoleTally`], in [`pieces`]):
/// every document's mentions per term and role, what `roles` and the report add up instead of
/// classifying every mention again.
pub const ROLES: &str = "roles_v1";

/// The most bytes one value of the record or head column holds. tantivy keeps a bytes
/// column's values as keys of a dictionary and cuts a key at 65,535 bytes without a word
/// (`tantivy-stacker`'s arena map), so a longer record (a PDF with a 70,000-character title,
/// a tally over a 100,000-term lexicon) was stored cut and made every reader fail. A longer
/// value is stored as several values of the same column, each a piece of it (see [`pieces`]).
pub const PIECE: usize = 60_000;

/// `value` as the values to store in a record or head column: itself when it fits in
/// [`PIECE`] bytes, else pieces of at most [`PIECE`] bytes, each led by a zero byte and its
/// position as a big-endian u32 (JSON never starts with a zero byte, so a piece is never taken
/// for a whole value, and pieces sort into their order).
pub fn pieces(value: &[u8]) -> Vec<Vec<u8>> {
    if value.len() <= PIECE {
        return vec![value.to_vec()];
    }
    value
        .chunks(PIECE)
        .enumerate()
        .map(|(k, chunk)| {
            let mut piece = Vec::with_capacity(5 + chunk.len());
            piece.push(0);
            piece.extend_from_slice(&(k as u32).to_be_bytes());
            piece.extend_from_slice(chunk);
            piece
        })
        .collect()
}

/// The value a document's stored values make (the inverse of [`pieces`]); `None` when they
/// are not one whole value or a full run of pieces.
pub fn joined(mut values: Vec<&[u8]>) -> Option<Vec<u8>> {
    match values.as_slice() {
        [] => None,
        [one] if one.first() != Some(&0) => Some(one.to_vec()),
        _ => {
            values.sort_unstable();
            let mut out = Vec::new();
            for (k, v) in values.iter().enumerate() {
                let pos = v
                    .get(1..5)
                    .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                if v.first() != Some(&0) || pos != Some(k as u32) {
                    return None;
                }
                out.extend_from_slice(&v[5..]);
            }
            Some(out)
        }
    }
}

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// "unit" or "doc".
    pub record: Field,
    /// The corpus document's id (on both kinds).
    pub doc_id: Field,
    /// The unit's position in its document.
    pub ordinal: Field,
    /// The unit's citation label.
    pub label: Field,
    /// The unit's kind (paragraph, toc, ...).
    pub kind: Field,
    /// The unit's normalised text, indexed with positions for phrase queries.
    pub text: Field,
    /// First page of the unit (0 when the document has no pages).
    pub page_start: Field,
    /// Last page.
    pub page_end: Field,
    /// Page breaks inside the unit, as JSON [[offset, page], ...].
    pub page_breaks: Field,
    /// Byte offset of the unit in the document text.
    pub start: Field,
    /// On document records: the DocRecord as JSON, a fast (columnar) field: listing 10,000
    /// documents reads a column instead of decompressing 10,000 stored blocks.
    pub meta: Field,
    /// The document's head (doc records only): the few fields and index-time counts `count`
    /// needs, apart so that counting 10,000 documents does not read and parse every record.
    pub head: Field,
    /// On document records: the whole normalised text, for context windows.
    pub doc_text: Field,
    /// On document records: the words counted at index time, apart from the head so that
    /// `count` does not read them.
    pub words: Field,
    /// On document records: the roles of the mentions, classified at index time.
    pub roles: Field,
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    // Only what is read is indexed, stored or columnar: with about 50 tokens per unit, every
    // extra indexed or fast field per unit was a measurable share of indexing time. Document
    // metadata lives in the record and head columns, not on every unit.
    let fields = Fields {
        record: b.add_text_field("record", STRING),
        doc_id: b.add_text_field(DOC_ID, STRING | STORED | FAST),
        ordinal: b.add_u64_field("ordinal", STORED),
        label: b.add_text_field("label", STORED),
        kind: b.add_text_field("kind", STORED),
        text: b.add_text_field("text", text_options),
        page_start: b.add_u64_field("page_start", STORED),
        page_end: b.add_u64_field("page_end", STORED),
        page_breaks: b.add_text_field("page_breaks", STORED),
        start: b.add_u64_field("start", STORED),
        meta: b.add_bytes_field(META, FAST),
        head: b.add_bytes_field(HEAD, FAST),
        doc_text: b.add_text_field("doc_text", STORED),
        words: b.add_bytes_field(WORDS, FAST),
        roles: b.add_bytes_field(ROLES, FAST),
    };
    (b.build(), fields)
}

/// The unit-text analyzer; registered on every opened index.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(200))
        .filter(LowerCaser)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_back_whatever_the_length() {
        for len in [0, 1, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE, 3 * PIECE + 7] {
            let value: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let stored = pieces(&value);
            assert!(stored.iter().all(|p| p.len() <= PIECE + 5));
            assert_eq!(stored.len(), len.div_ceil(PIECE).max(1));
            // tantivy hands a document's values back in dictionary order, not as written.
            let mut shuffled: Vec<&[u8]> = stored.iter().map(Vec::as_slice).collect();
            shuffled.reverse();
            assert_eq!(joined(shuffled).as_deref(), Some(value.as_slice()), "{len}");
        }
        let stored = pieces(&vec![b'x'; 2 * PIECE + 1]);
        assert_eq!(
            joined(vec![&stored[0], &stored[2]]),
            None,
            "a missing piece"
        );
    }
}
