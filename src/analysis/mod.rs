//! What the text says: the lexicon and its matcher, counts, mentions in context, their roles,
//! citations and published claims. Everything here reads the index; nothing writes it.

pub mod cite;
pub mod claims;
pub mod count;
pub mod explore;
pub mod kwic;
pub mod lexicon;
pub mod role_counts;
pub mod roles;
pub mod scope;
pub mod stats;
pub mod words;
