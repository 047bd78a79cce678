//! The one integration-test crate: every module drives the real `menutable` binary.
//! (One crate, one link: on two cores every extra test binary costs a link.)

mod util;

mod corpus;
mod count;
mod errors;
mod explore;
mod export;

mod fetch;

mod edges;
mod fixtures;
mod hostile;
mod incremental;
mod instruments;
mod kwic;
mod misleading;
mod oracle;
mod outputs;
mod pdfgen;
mod report;

mod roles;
mod scale;
mod scope;

mod search;
mod serve;
mod spark;
