//! Bounds on the time and memory one file may cost, and the work each file actually cost.
//!
//! The corpus folder is fed by downloads and by people dropping files, and a cron job indexes
//! whatever is there: one crafted file (forms that draw forms, a stream that inflates to
//! gigabytes, a font whose widths span every code) must fail with a reason, not hang the run
//! or exhaust the machine. Every bound is a multiple of the most the real corpus needs
//! (measured with `menutable extract --work`, see BENCHMARKS.md), so no real document comes
//! near one: the safety factor is stated beside each.

use serde::Serialize;

/// The bounds, one set for every file.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Budget {
    /// Size of a PDF file, in bytes.
    pub pdf_bytes: u64,
    /// Size of a text or Markdown file, in bytes.
    pub text_bytes: u64,
    /// Lines with text in a text or Markdown file (blank lines cost nothing: a run of them is
    /// one paragraph break).
    pub text_lines: u64,
    /// Bytes any one stream may inflate to (page content, form, font map, object stream).
    pub stream_bytes: usize,
    /// Bytes inflated for one page, its forms included.
    pub page_inflated: u64,
    /// Content operations executed on one page, counted across every nested form.
    pub page_ops: u64,
    /// Glyphs drawn on one page.
    pub page_glyphs: u64,
    /// Content operations executed in the whole file.
    pub file_ops: u64,
    /// Glyphs drawn in the whole file.
    pub file_glyphs: u64,
    /// Entries of one font's width table (`/W` ranges expanded).
    pub font_widths: u64,
    /// Pages of one file.
    pub pages: u64,
}

/// The budget every file is read under: the real corpus's maxima (74 PDFs, 8 texts, measured
/// by `menutable extract --work`; BENCHMARKS.md, "Budgets") times at least 14, as each line
/// says. Memory follows: at most 8 MiB per inflated stream, 16 MiB per page, and 5 M glyphs
/// (about 64 bytes each) held per file.
pub const BUDGET: Budget = Budget {
    // Largest real PDF 1.84 MB (1_11_CP_26): ×36.
    pdf_bytes: 64 << 20,
    // Largest real text 145 KB (Addis Ababa): ×115; text costs little per byte.
    text_bytes: 16 << 20,
    // Most lines in a real text 2,187 (Addis Ababa, blank ones included): ×137. Each line
    // costs about 150 bytes through extraction and segmentation whatever its length, so 16 MiB
    // of one-character lines (8 M of them) took 2 GB; at most 300,000 cost under 100 MB, and
    // 16 MiB of prose in lines of 56 characters or more fits.
    text_lines: 300_000,
    // Largest stream of a kind we inflate 0.56 MB (a ToUnicode map; page content 0.15 MB,
    // object streams 64 KB): ×15. Images are never inflated.
    stream_bytes: 8 << 20,
    // Largest real page 0.15 MB inflated (19_26_CP_18): ×115, room for forms.
    page_inflated: 16 << 20,
    // Largest real page 13,190 operations (19_26_CP_18): ×38.
    page_ops: 500_000,
    // Largest real page 4,903 glyphs (1_5_CMP_7): ×41.
    page_glyphs: 200_000,
    // Largest real file 146,272 operations (1_6_CP_25): ×34.
    file_ops: 5_000_000,
    // Largest real file 277,616 glyphs (16_27_CMP_1): ×18.
    file_glyphs: 5_000_000,
    // Largest real width table 256 entries: every two-byte code (×256).
    font_widths: 65_536,
    // Longest real file 103 pages (16_27_CMP_1): ×97.
    pages: 10_000,
};

/// The work one file cost, as measured while it was read.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Work {
    /// File size in bytes.
    pub bytes: u64,
    /// Pages read.
    pub pages: u64,
    /// Content operations executed, forms included.
    pub ops: u64,
    /// Glyphs drawn.
    pub glyphs: u64,
    /// Bytes inflated (page contents and forms).
    pub inflated: u64,
    /// Form XObjects decoded (each once per page that draws it).
    pub forms: u64,
    /// The most operations on one page.
    pub max_page_ops: u64,
    /// The most glyphs on one page.
    pub max_page_glyphs: u64,
    /// The most bytes inflated for one page.
    pub max_page_inflated: u64,
    /// The largest stream, inflated.
    pub max_stream: u64,
    /// The largest width table of a font.
    pub max_font_widths: u64,
}

impl Work {
    /// Adds a page's work to the file's.
    pub fn add_page(&mut self, page: &Work) {
        self.pages += 1;
        self.ops += page.ops;
        self.glyphs += page.glyphs;
        self.inflated += page.inflated;
        self.forms += page.forms;
        self.max_page_ops = self.max_page_ops.max(page.ops);
        self.max_page_glyphs = self.max_page_glyphs.max(page.glyphs);
        self.max_page_inflated = self.max_page_inflated.max(page.inflated);
        self.max_stream = self.max_stream.max(page.max_stream);
        self.max_font_widths = self.max_font_widths.max(page.max_font_widths);
    }
}

/// The reason for a file past its size bound.
pub fn past_size(bytes: u64, limit: u64) -> String {
    format!(
        "{:.1} MiB, more than the {} MiB a file of this kind may have",
        bytes as f64 / f64::from(1 << 20),
        limit >> 20
    )
}
