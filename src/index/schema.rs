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
/// rebuilds an older index instead of misreading it (v2: metadata nested, not flattened).
pub const META: &str = "record_v2";
/// Name of the document-id field (a fast column too: kwic maps matching units to documents).
pub const DOC_ID: &str = "doc_id";
/// Name of the document-head column (JSON of `index::DocHead`: what `count` reads; v2: kind and binding, for `--kind`
/// and `--binding`).
pub const HEAD: &str = "head_v2";

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
