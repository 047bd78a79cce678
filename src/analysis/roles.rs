//! The role of a mention: at the table (`actor`) or on the menu (`target`, `level`, `setting`,
//! `ceremonial`), per ../shared/roles/GUIDELINES.md.
//!
//! Transparent rules, not a model: each classification names the rule that fired and the cue
//! words it saw, so a researcher can audit and disagree. Rules read the clause around the
//! mention: the UAX #29 sentence that holds it, cut at semicolons and colons (UN decisions
//! run whole paragraphs as one sentence), at most 240 characters each side. The first rule
//! that fires decides, in this order: gratitude and place names (ceremonial), support given to
//! it (target), a list of stakeholders (actor), a scale or tier (level), a place or topic
//! (setting), a governance cue (actor), then a default by the kind of term.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use crate::analysis::lexicon::{Lexicon, Term};

/// A mention's role.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Acts, decides, implements, participates, is a partner, is invited to act.
    Actor,
    /// Is supported, funded, strengthened, trained.
    Target,
    /// A scale or tier, or the level of a plan, policy or data.
    Level,
    /// A place, adjective or topic.
    Setting,
    /// Host, venue, thanks.
    Ceremonial,
    /// Not a mention at all.
    #[default]
    None,
}

/// The at-the-table share, defined once for `roles`, `export`, the report and its headline:
/// of the mentions of cities and their governments (the concepts the lexicon lets sit at the
/// table: city, mayor, local and subnational government, city networks; not the adjective
/// "urban", which names a place or topic), how many put them at the table (role actor).
/// Names of instruments and mentions with role `none` are in neither figure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TableShare {
    /// Actor mentions of cities and their governments: the numerator.
    pub actor: usize,
    /// Mentions of cities and their governments with a role: the denominator.
    pub of: usize,
}

impl TableShare {
    /// Counts one mention of `concept` with `role`.
    pub fn add(&mut self, lexicon: &Lexicon, concept: &str, role: Role) {
        self.add_n(lexicon, concept, role, 1);
    }

    /// Counts `n` mentions of `concept` with `role`.
    pub fn add_n(&mut self, lexicon: &Lexicon, concept: &str, role: Role, n: usize) {
        if role != Role::None && lexicon.can_sit(concept) {
            self.of += n;
            self.actor += if role == Role::Actor { n } else { 0 };
        }
    }

    /// The share of these mentions.
    pub fn of_mentions<'a>(
        lexicon: &Lexicon,
        mentions: impl IntoIterator<Item = (&'a str, Role)>,
    ) -> TableShare {
        let mut t = TableShare::default();
        for (concept, role) in mentions {
            t.add(lexicon, concept, role);
        }
        t
    }

    /// actor / of, or `None` without a mention that could sit at the table.
    pub fn share(&self) -> Option<f64> {
        (self.of > 0).then(|| self.actor as f64 / self.of as f64)
    }
}

/// What a role tally made at index time was classified with: the lexicon's fingerprint and the
/// rules' own, a hash of this file's source (compiled in), so that a change to any rule or cue
/// list makes the next reader classify from the text again instead of trusting an old tally.
/// The rules read nothing else but the sentence segmentation of `unicode-segmentation`, whose
/// version the lock file pins.
pub fn fingerprint(lexicon: &Lexicon) -> String {
    static RULES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let rules = RULES.get_or_init(|| {
        crate::corpus::sha256_hex(include_str!("roles.rs").as_bytes())[..16].to_string()
    });
    format!("{}-{rules}", lexicon.fingerprint())
}

/// What the share's denominator holds, in words: said wherever the share is shown.
pub fn share_basis(lexicon: &Lexicon) -> String {
    let out: Vec<&str> = lexicon
        .concepts
        .iter()
        .filter(|c| !c.at_the_table)
        .map(|c| c.id.as_str())
        .collect();
    format!(
        "at the table = actor mentions / mentions of {} with a role{}",
        lexicon.table_concepts().join(", "),
        if out.is_empty() {
            String::new()
        } else {
            format!(
                " ({} left out: a place or topic, never at the table)",
                out.join(", ")
            )
        }
    )
}

impl Role {
    /// Every role, in the guidelines' order.
    pub const ALL: [Role; 6] = [
        Role::Actor,
        Role::Target,
        Role::Level,
        Role::Setting,
        Role::Ceremonial,
        Role::None,
    ];

    /// The label as written in outputs and gold files.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Actor => "actor",
            Role::Target => "target",
            Role::Level => "level",
            Role::Setting => "setting",
            Role::Ceremonial => "ceremonial",
            Role::None => "none",
        }
    }

    /// Parses a label.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// What the rules decided for one mention, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// The role.
    pub role: Role,
    /// The rule that fired, e.g. `actor.stakeholder-list`.
    pub rule: &'static str,
    /// The cue words it used.
    pub cues: Vec<String>,
    /// The same sentence makes the part conditional on the state.
    pub deferential: bool,
    /// The mention stands in a table of contents.
    pub toc: bool,
}

/// Cue lists of one language.
struct Cues {
    gratitude: &'static [&'static str],
    support: &'static [&'static str],
    stakeholders: &'static [&'static str],
    scales: &'static [&'static str],
    level_nouns: &'static [&'static str],
    /// "At the levels of government, including": the mentions after it name levels.
    at_levels: &'static [&'static str],
    tier_nouns: &'static [&'static str],
    governance: &'static [&'static str],
    deferential: &'static [&'static str],
    topic_adjectives: &'static [&'static str],
    agent_nouns: &'static [&'static str],
    of: &'static str,
}

const EN: Cues = Cues {
    gratitude: &[
        "gratitude",
        "thank",
        "hospitality",
        "appreciation to the",
        "host city",
        "venue",
    ],
    support: &[
        "support for",
        "support to",
        "supporting",
        "strengthen",
        "capacities of",
        "capacity of",
        "capacity-building for",
        "capacity development",
        "transfers",
        "empower",
        "assistance to",
        "assist",
        "help",
        "support their",
        "training of",
        "train ",
        "funding for",
        "finance for",
        "resources to",
        "receive funding",
        "for accreditation",
        "nominate",
        "needs of",
    ],
    stakeholders: &[
        "private sector",
        "civil society",
        "non-governmental",
        "ngos",
        "igos",
        "intergovernmental organizations",
        "community-based",
        "academia",
        "academic",
        "indigenous peoples",
        "financial institutions",
        "business",
        "youth",
        "women",
        "stakeholders",
        "organizations",
        "networks",
    ],
    scales: &[
        "national",
        "regional",
        "international",
        "global",
        "sectoral",
        "intergovernmental",
        "local",
        "municipal",
        "provincial",
        "state",
    ],
    level_nouns: &["level", "levels", "scale", "scales"],
    at_levels: &[
        "at the appropriate level of government, including",
        "at the appropriate levels of government, including",
        "at all levels of government, including",
    ],
    tier_nouns: &[
        "plans",
        "plan",
        "planning",
        "approaches",
        "approach",
        "systems",
        "system",
        "monitoring",
        "forest",
        "data",
        "development",
        "assessments",
        "assessment",
        "reference",
        "demonstration",
        "policies",
        "policy",
        "strategies",
        "strategy",
        "emissions",
        "inventories",
        "programmes",
        "action",
    ],
    governance: &[
        "cooperation with",
        "cooperation among",
        "cooperation between",
        "city-to-",
        "-to-city",
        "learning among",
        "collaboration with",
        "partnership",
        "participation of",
        "participation",
        "involvement of",
        "involve",
        "engagement",
        "engage",
        "in consultation with",
        "working with",
        "implemented by",
        "by regional",
        "actions by",
        "efforts of",
        "practices of",
        "experiences of",
        "invites",
        "encourages",
        "urges",
        "welcomes",
        "nominated",
        "members",
        "representatives of",
        "leadership",
    ],
    // The state must be named: a bare "as appropriate" or "where applicable" is not enough.
    deferential: &[
        "in accordance with national",
        "in line with national",
        "consistent with national",
        "as part of national",
        "national circumstances",
        "national legislation",
        "national legal",
        "national laws",
        "domestic law",
        "national policies",
        "national priorities",
        "in consultation with national",
        "in coordination with national",
        "country-led",
        "through them",
        "nominated by their respective countries",
    ],
    topic_adjectives: &[
        "sustainable",
        "resilient",
        "smart",
        "green",
        "coastal",
        "informal",
        "low-carbon",
        "inclusive",
        "safe",
        "liveable",
        "compact",
        "secondary",
    ],
    agent_nouns: &[
        "government",
        "governments",
        "authorities",
        "authority",
        "organizations",
        "entities",
        "institutions",
        "actors",
        "stakeholders",
        "networks",
        "centres",
        "bodies",
        "leaders",
        "officials",
        "administrations",
    ],
    of: " of ",
};

const ES: Cues = Cues {
    gratitude: &[
        "gratitud",
        "agradec",
        "hospitalidad",
        "ciudad anfitriona",
        "sede",
    ],
    support: &[
        "apoyo a",
        "apoyar a",
        "fortalecer",
        "fortalecimiento",
        "capacidad de",
        "capacidades de",
        "empoder",
        "asistencia a",
        "formación de",
        "financiación para",
        "recibir financiación",
    ],
    stakeholders: &[
        "sector privado",
        "sociedad civil",
        "no gubernamentales",
        "ong",
        "comunidades",
        "pueblos indígenas",
        "instituciones financieras",
        "interesados",
        "organizaciones",
        "redes",
        "jóvenes",
        "mujeres",
    ],
    scales: &[
        "nacional",
        "nacionales",
        "regional",
        "regionales",
        "internacional",
        "internacionales",
        "mundial",
        "sectorial",
        "local",
        "locales",
    ],
    level_nouns: &["nivel", "niveles", "escala", "escalas"],
    at_levels: &[
        "en el nivel de gobierno apropiado, incluid",
        "en todos los niveles de gobierno, incluid",
        "a todos los niveles de gobierno, incluid",
    ],
    tier_nouns: &[
        "planes",
        "plan",
        "planificación",
        "enfoques",
        "sistemas",
        "sistema",
        "vigilancia",
        "datos",
        "desarrollo",
        "evaluaciones",
        "políticas",
        "estrategias",
    ],
    governance: &[
        "cooperación con",
        "colaboración con",
        "asociación",
        "participación de",
        "participación",
        "en consulta con",
        "invita",
        "alienta",
        "insta",
        "acoge con satisfacción",
        "esfuerzos de",
        "prácticas de",
        "experiencias de",
        "miembros",
        "liderazgo",
    ],
    deferential: &[
        "de conformidad con la legislación nacional",
        "prioridades nacionales",
        "políticas nacionales",
        "circunstancias nacionales",
        "legislación nacional",
        "en consulta con las autoridades nacionales",
        "en coordinación con los gobiernos nacionales",
    ],
    topic_adjectives: &[
        "sostenibles",
        "sostenible",
        "resilientes",
        "inteligentes",
        "costeras",
        "informales",
    ],
    agent_nouns: &[
        "gobierno",
        "gobiernos",
        "autoridades",
        "autoridad",
        "organizaciones",
        "entidades",
        "instituciones",
        "actores",
        "interesados",
        "redes",
        "órganos",
    ],
    of: " de ",
};

const FR: Cues = Cues {
    gratitude: &["gratitude", "remercie", "hospitalité", "ville hôte"],
    support: &[
        "appui aux",
        "appui à",
        "soutien aux",
        "soutien à",
        "renforcer",
        "renforcement",
        "capacités des",
        "capacité des",
        "autonomiser",
        "assistance aux",
        "formation des",
        "financement pour",
        "recevoir un financement",
    ],
    stakeholders: &[
        "secteur privé",
        "société civile",
        "non gouvernementales",
        "ong",
        "communautés",
        "peuples autochtones",
        "institutions financières",
        "parties prenantes",
        "organisations",
        "réseaux",
        "jeunes",
        "femmes",
    ],
    scales: &[
        "national",
        "nationale",
        "nationaux",
        "régional",
        "régionale",
        "régionaux",
        "international",
        "internationale",
        "mondial",
        "sectoriel",
        "local",
        "locale",
        "locaux",
    ],
    level_nouns: &["niveau", "niveaux", "échelle", "échelles"],
    at_levels: &[
        "à l'échelon approprié, y compris",
        "à tous les niveaux de gouvernement, y compris",
    ],
    tier_nouns: &[
        "plans",
        "plan",
        "planification",
        "approches",
        "systèmes",
        "système",
        "surveillance",
        "données",
        "développement",
        "évaluations",
        "politiques",
        "stratégies",
    ],
    governance: &[
        "coopération avec",
        "collaboration avec",
        "partenariat",
        "participation des",
        "participation",
        "en consultation avec",
        "invite",
        "encourage",
        "engage",
        "accueille avec satisfaction",
        "efforts des",
        "pratiques des",
        "expériences des",
        "membres",
        "leadership",
    ],
    deferential: &[
        "conformément à la législation nationale",
        "priorités nationales",
        "politiques nationales",
        "circonstances nationales",
        "législation nationale",
        "en consultation avec les autorités nationales",
        "en coordination avec les gouvernements nationaux",
    ],
    topic_adjectives: &[
        "durables",
        "durable",
        "résilientes",
        "intelligentes",
        "côtières",
        "informelles",
    ],
    agent_nouns: &[
        "gouvernement",
        "gouvernements",
        "autorités",
        "autorité",
        "organisations",
        "entités",
        "institutions",
        "acteurs",
        "réseaux",
        "organes",
    ],
    of: " de ",
};

/// Prepositions that make a city the place of what the clause talks about (English; "in"
/// also covers "in our cities" through the possessive below).
const LOCATIVES: &[&str] = &["in", "within", "across", "throughout", "our", "en", "dans"];

/// Articles between a locative and its place ("in a municipality", "in their cities").
const ARTICLES: &[&str] = &["a", "the", "their", "all", "los", "las", "les"];

/// Nouns that make a government's mention the tier of a policy (English only; the
/// other languages put them before the term).
const POLICY_NOUNS: &[&str] = &[
    "policies",
    "policy",
    "plans",
    "plan",
    "strategies",
    "strategy",
    "priorities",
    "budgets",
    "legislation",
    "frameworks",
    "data",
    "statistics",
    "websites",
    "budget",
    "expenditure",
    "expenditures",
    "programmes",
];

/// Verbs of a city's own governing act, as they follow it ("cities ... adopting").
const GOVERNING_VERBS: &[&str] = &[
    "adopting",
    "implementing",
    "adopt",
    "implement",
    "implements",
    "developing",
    "taking",
    "leading",
    "lead",
    "participate",
    "participating",
    "contribute",
    "contributing",
    "commit",
    "mobilize",
    "mobilizing",
    "coordinate",
    "cooperate",
    "engage",
    "report",
    "submit",
];

/// Auxiliaries that make a mention an actor only as the subject of an active verb ("local
/// governments will implement", "cities are leading"), never because they follow it: "the way
/// cities and human settlements are planned", "expenditures by subnational governments are a
/// source", "cities ... should be places of" put the city on the menu. As a governing verb,
/// each of the three uses of these words in the corpus was such an object or topic.
const AUXILIARIES: &[&str] = &[
    "will", "should", "shall", "must", "can", "have", "has", "are",
];

/// Words that make the noun after them an object or a complement, not a subject.
const PREPOSITIONS: &[&str] = &[
    "in", "of", "for", "to", "on", "at", "with", "by", "from", "into", "within", "across", "among",
    "between", "through", "towards", "way", "ways", "how",
];

fn cues(lang: &str) -> &'static Cues {
    match lang {
        "es" => &ES,
        "fr" => &FR,
        _ => &EN,
    }
}

/// Terms that name a governing body (they can act) rather than a place, adjective or tier.
fn names_a_body(term: &Term) -> bool {
    let t = term.text.to_lowercase();
    matches!(term.concept.as_str(), "mayor" | "network")
        || [
            "government",
            "authorit",
            "municipalit",
            "gobierno",
            "autoridad",
            "municipio",
            "gouvernement",
            "autorité",
            "collectivit",
        ]
        .iter()
        .any(|w| t.contains(w))
}

/// Where each UAX #29 sentence of a unit's text starts, computed once per unit: every mention
/// of the unit finds its sentence by binary search (splitting the unit again for each mention
/// made kwic and roles grow with the square of a long unit: 1 MB took 199 s).
pub fn sentence_starts(text: &str) -> Vec<usize> {
    text.split_sentence_bound_indices()
        .map(|(i, _)| i)
        .collect()
}

/// Byte range of the clause around `start..end` in `text`.
pub fn clause(text: &str, start: usize, end: usize) -> (usize, usize) {
    clause_in(text, &sentence_starts(text), start, end)
}

/// [`clause`] with the unit's [`sentence_starts`] already known.
pub fn clause_in(text: &str, starts: &[usize], start: usize, end: usize) -> (usize, usize) {
    let (mut a, mut b) = (0, text.len());
    // The sentence holding `start`: the last that starts at or before it.
    let k = starts.partition_point(|&i| i <= start);
    if k > 0 && start < text.len() {
        a = starts[k - 1];
        b = starts.get(k).copied().unwrap_or(text.len()).max(end);
    }
    // At most 240 characters each side, bounded before searching: a sentence without a break
    // (10 MB of words, one "cities." per line) made each mention scan its whole sentence.
    a = a.max(floor_char(text, start.saturating_sub(240)));
    b = b.min(ceil_char(text, end + 240)).max(end);
    if let Some(p) = text[a..start].rfind([';', ':']) {
        a += p + 1;
    }
    if let Some(p) = text[end..b].find([';', ':']) {
        b = end + p;
    }
    (a, b)
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The cues of `list` that occur in `hay` at the start of a word ("venue" is not in
/// "revenues"; "thank" is in "thanks"), in the list's order: one pass of an Aho-Corasick
/// automaton over `hay` (every occurrence, overlapping ones too), built once per list and
/// thread.
fn found(hay: &str, list: &'static [&'static str]) -> Vec<String> {
    thread_local! {
        static AUTOMATA: std::cell::RefCell<std::collections::HashMap<usize, aho_corasick::AhoCorasick>> =
            Default::default();
    }
    let mut hit = vec![false; list.len()];
    AUTOMATA.with(|cell| {
        let mut automata = cell.borrow_mut();
        let ac = automata.entry(list.as_ptr() as usize).or_insert_with(|| {
            aho_corasick::AhoCorasick::new(list).expect("cue lists are plain strings")
        });
        for m in ac.find_overlapping_iter(hay) {
            let word_start = hay[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|p| !p.is_alphanumeric());
            if word_start {
                hit[m.pattern().as_usize()] = true;
            }
        }
    });
    list.iter()
        .zip(hit)
        .filter(|(_, h)| *h)
        .map(|(c, _)| c.to_string())
        .collect()
}

/// Where cue `c` last starts a word in `hay`.
fn cue_at(hay: &str, c: &str) -> Option<usize> {
    hay.rmatch_indices(c).map(|(i, _)| i).find(|&i| {
        hay[..i]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphanumeric())
    })
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words after a mention up to the end of its noun phrase: a comma, semicolon, colon,
/// full stop or bracket ends it, unless a scale word follows the comma ("subnational,
/// national and regional implementing entities" is one phrase).
fn noun_phrase(after: &str, c: &Cues) -> Vec<String> {
    let mut out = Vec::new();
    for (k, piece) in after.split([',', ';', '.', ':', '(']).enumerate() {
        let w = words(piece);
        if k > 0 && !w.first().is_some_and(|f| c.scales.contains(&f.as_str())) {
            break;
        }
        out.extend(w);
    }
    out
}

/// Classifies the mention at `start..end` of `text` (a unit's text).
pub fn classify(
    text: &str,
    start: usize,
    end: usize,
    term: &Term,
    lang: &str,
    toc: bool,
) -> Classification {
    classify_in(text, &sentence_starts(text), start, end, term, lang, toc)
}

/// [`classify`] with the unit's [`sentence_starts`] already known (kwic computes them once
/// per unit, so its time is linear in the text).
pub fn classify_in(
    text: &str,
    sentences: &[usize],
    start: usize,
    end: usize,
    term: &Term,
    lang: &str,
    toc: bool,
) -> Classification {
    if term.name {
        // "The New Urban Agenda" names an agreement: it says nothing about what cities do.
        return Classification {
            role: Role::None,
            rule: "none.name-of-instrument",
            cues: vec![term.text.clone()],
            deferential: false,
            toc,
        };
    }
    if term.concept == crate::analysis::lexicon::AD_HOC {
        // A word asked for outside the lexicon: the guidelines give roles to cities and their
        // governments only.
        return Classification {
            role: Role::None,
            rule: "none.ad-hoc-term",
            cues: Vec::new(),
            deferential: false,
            toc,
        };
    }
    let x = Clause::new(text, sentences, start, end, term, cues(lang));
    let (role, rule, cues) = RULES
        .iter()
        .find_map(|rule| rule(&x))
        .unwrap_or_else(|| by_default(&x));
    Classification {
        role,
        rule,
        cues,
        deferential: x.deferential(),
        toc,
    }
}

/// A mention and its clause, as the rules read them.
struct Clause<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// The clause: `text[a..b]`.
    a: usize,
    b: usize,
    term: &'a Term,
    c: &'static Cues,
    /// The clause before and after the mention, lower-cased.
    before: String,
    after: String,
    /// Both, with a space between.
    whole: String,
    prev_words: Vec<String>,
    next_words: Vec<String>,
    /// The term names a body (or heads an agent noun: "subnational implementing entities").
    body: bool,
    /// How the support before it reads, read once for the two rules that ask.
    support: std::cell::OnceCell<Support>,
}

impl<'a> Clause<'a> {
    fn new(
        text: &'a str,
        sentences: &[usize],
        start: usize,
        end: usize,
        term: &'a Term,
        c: &'static Cues,
    ) -> Self {
        let (a, b) = clause_in(text, sentences, start, end);
        let before = text[a..start].to_lowercase();
        let after = text[end..b].to_lowercase();
        let next_words = words(&after);
        // An adjective term heading an agent noun ("subnational implementing entities",
        // "subnational and local government") names a body as much as "subnational authorities".
        // Only in its own noun phrase: not past a comma ("subnational territories, within
        // urban centres"), nor past a level ("at the national, subnational and local levels
        // that Governments ..."; "local levels of government" are governments).
        let phrase = noun_phrase(&after, c);
        let agent_follows = phrase
            .iter()
            .enumerate()
            .take(5)
            .take_while(|&(i, w)| {
                !c.level_nouns.contains(&w.as_str()) || phrase.get(i + 1).is_some_and(|n| n == "of")
            })
            .any(|(_, w)| c.agent_nouns.contains(&w.as_str()));
        Clause {
            text,
            start,
            end,
            a,
            b,
            term,
            c,
            whole: format!("{before} {after}"),
            prev_words: words(&before),
            next_words,
            before,
            after,
            // "urban" stays an adjective of place or topic whatever follows: "urban
            // governance, with sound institutions" and "urban stakeholders" name no
            // government (the guidelines' setting; never a target).
            body: names_a_body(term) || (agent_follows && term.concept != "urban"),
            support: std::cell::OnceCell::new(),
        }
    }

    /// The last `n` characters of the clause before the mention (lower case).
    fn last_chars(&self, n: usize) -> String {
        let skip = self.before.chars().count().saturating_sub(n);
        self.before.chars().skip(skip).collect()
    }

    /// The first word after the mention.
    fn next(&self) -> &str {
        self.next_words.first().map(String::as_str).unwrap_or("")
    }

    fn is(&self, concept: &str) -> bool {
        self.term.concept == concept
    }

    /// Deferential cues count within the clause and 100 characters of the mention: a sentence
    /// that ends before it ("... national circumstances. Urban population") does not defer it.
    fn deferential(&self) -> bool {
        let (x, y) = (
            floor_char(self.text, self.start.saturating_sub(100)).max(self.a),
            ceil_char(self.text, self.end + 100).min(self.b),
        );
        !found(&self.text[x..y].to_lowercase(), self.c.deferential).is_empty()
    }

    /// A scale word ("national", "regional") among the four words before or after.
    fn scale_near(&self) -> bool {
        let scale = |w: &String| self.c.scales.contains(&w.as_str());
        self.prev_words.iter().rev().take(4).any(scale) || self.next_words.iter().take(4).any(scale)
    }
}

/// A rule's decision: the role, the rule's name and the cues that fired.
type Decision = (Role, &'static str, Vec<String>);

/// The rules in the order they are tried: the first that applies decides. The order is the
/// guidelines' tie-break (ceremonial before anything; a tier named as such before support;
/// support before stakeholder lists), each rule a function below.
const RULES: &[fn(&Clause) -> Option<Decision>] = &[
    ceremonial,
    setting_topic,
    level_named,
    target_of_support,
    actor_supported,
    level_listed,
    setting_in_place,
    actor_listed,
    level_tier,
    actor_governing,
    setting_urban,
    actor_governance,
];

/// Words that begin a sentence or a noun phrase, never a place name before "City".
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "these", "those", "this", "that", "all", "our", "their", "its", "his", "her",
    "and", "or", "of", "for", "in", "many", "some", "such", "both", "other", "each", "every", "la",
    "el", "las", "los", "le", "les", "une", "un", "una",
];

/// Ceremonial: thanks, hospitality, the host; a city named as a place (unless it pledges or
/// contributes: an actor).
fn ceremonial(x: &Clause) -> Option<Decision> {
    let g = found(&x.whole, x.c.gratitude);
    if !g.is_empty() {
        return Some((Role::Ceremonial, "ceremonial.gratitude", g));
    }
    if !x.is("city") {
        return None;
    }
    // "Pledges have been made by Bulgaria, ... and the city of Paris": a named city that
    // pledges or contributes acts (not thanked in this clause: gratitude came first).
    let gives = found(
        &x.whole,
        &[
            "pledges",
            "pledged",
            "contributions from",
            "contributed by",
            "donations from",
        ],
    );
    if !gives.is_empty() {
        return Some((Role::Actor, "actor.contributor", gives));
    }
    let (text, of) = (x.text, x.c.of);
    let raw_after = &text[x.end..x.b];
    let raw_before = &text[x.a..x.start];
    let named_after =
        raw_after.starts_with(of) && raw_after[of.len()..].starts_with(char::is_uppercase);
    // "Incheon City", "Quezon City": a capitalised word, then "City" in title case and
    // singular. Capitals alone name no place: "The CITIES are", "The Cities' mayors".
    let m = &text[x.start..x.end];
    let title_case =
        m.starts_with(char::is_uppercase) && !m.chars().skip(1).any(char::is_uppercase);
    let singular = !m.ends_with(['s', 'S']);
    let named_before = title_case
        && singular
        && raw_before.split_whitespace().last().is_some_and(|w| {
            w.starts_with(char::is_uppercase)
                && w.len() > 1
                && !FUNCTION_WORDS.contains(&w.to_lowercase().as_str())
        });
    (named_after || named_before).then(|| {
        let cue = if named_after {
            format!("{}<Name>", of.trim_start())
        } else {
            "<Name> City".into()
        };
        (Role::Ceremonial, "ceremonial.place-name", vec![cue])
    })
}

/// Setting: a city as the topic of a policy ("sustainable cities", "coastal cities").
/// (Adjectives come before the noun in English, after it in Spanish and French.)
fn setting_topic(x: &Clause) -> Option<Decision> {
    if !x.is("city") {
        return None;
    }
    // "the right to the city": a concept, what a policy is about.
    if ["right to the", "derecho a la", "droit à la"]
        .iter()
        .any(|r| x.before.trim_end().ends_with(r))
    {
        return Some((
            Role::Setting,
            "setting.topic",
            vec!["right to the city".into()],
        ));
    }
    let topic = |w: &&String| x.c.topic_adjectives.contains(&w.as_str());
    let w = x
        .prev_words
        .last()
        .filter(topic)
        .or(x.next_words.first().filter(topic))?;
    Some((Role::Setting, "setting.topic", vec![w.clone()]))
}

/// Level first when the mention is itself "... level(s)": "strengthen capacity at the
/// national and subnational level" names a tier, not a beneficiary.
fn level_named(x: &Clause) -> Option<Decision> {
    let next = x.next();
    if x.c.level_nouns.contains(&next) {
        return Some((Role::Level, "level.scale", vec![next.to_string()]));
    }
    // "at the appropriate level of government, including subnational and local government":
    // the mention names which levels.
    let cue = found(&x.last_chars(80), x.c.at_levels);
    (!cue.is_empty()).then_some((Role::Level, "level.scale", cue))
}

/// How the support before a mention reads: the cues found in the 70 characters before it,
/// whether the nearest is about capacity ("strengthen the capacity of"), and whether what is
/// supported is the city's own activity ("supporting the efforts of ... local authorities").
struct Support {
    cues: Vec<String>,
    capacity: bool,
    activity: bool,
}

fn support_before(x: &Clause) -> Support {
    let tail = x.last_chars(70);
    let mut cues = found(&tail, x.c.support);
    if enables(&tail) {
        cues.push("enable".into());
    }
    // "(strengthen) the capacity of local authorities (to ...)": only their capacity or
    // means is the object, whatever it is for.
    let nearest = cues
        .iter()
        .max_by_key(|k| cue_at(&tail, k).map(|i| i + k.len()));
    let capacity = nearest.is_some_and(|k| k.starts_with("capacit") || k.starts_with("strengthen"));
    let activity = cues
        .iter()
        .filter_map(|k| cue_at(&tail, k).map(|i| &tail[i + k.len()..]))
        .any(|between| {
            [
                "efforts",
                "cooperation",
                "learning",
                "work of",
                "initiatives",
            ]
            .iter()
            .any(|a| between.contains(a))
        });
    Support {
        cues,
        capacity,
        activity,
    }
}

/// "enable(s/ing) [national, subnational and] <mention>": the mention is what is enabled.
/// Only directly: "frameworks that enable the positive contribution of migrants to cities"
/// enables a contribution, not the cities.
fn enables(tail: &str) -> bool {
    let Some(i) = tail.rfind("enabl") else {
        return false;
    };
    let after = &tail[i..];
    let rest = after.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    words(rest).iter().all(|w| {
        [
            "national",
            "subnational",
            "local",
            "regional",
            "and",
            "or",
            "the",
            "their",
            "all",
        ]
        .contains(&w.as_str())
    }) && !after.starts_with("enabling environment")
}

/// Target: the object of support, capacity-building, funding.
fn target_of_support(x: &Clause) -> Option<Decision> {
    let s = x.support.get_or_init(|| support_before(x));
    let acted_upon = x.body || x.is("city");
    if !s.cues.is_empty() && acted_upon && (s.capacity || (!acts_next(x) && !s.activity)) {
        return Some((Role::Target, "target.support", s.cues.clone()));
    }
    let s = found(
        &x.after.chars().take(60).collect::<String>(),
        &[
            "receive funding",
            "for accreditation",
            "recibir financiación",
        ],
    );
    (!s.is_empty()).then_some((Role::Target, "target.support", s))
}

/// Actor: supported, helped or enabled "to V" (or "in their efforts to V"), or its own
/// efforts or cooperation supported: the clause about the city decides, and it acts (the
/// guidelines' tie-break). Tried right after [`target_of_support`], which leaves exactly these.
fn actor_supported(x: &Clause) -> Option<Decision> {
    let s = x.support.get_or_init(|| support_before(x));
    let acted_upon = x.body || x.is("city");
    (!s.cues.is_empty() && acted_upon && !s.capacity && (acts_next(x) || s.activity))
        .then(|| (Role::Actor, "actor.supported-to-act", s.cues.clone()))
}

/// Supported "to V" or "in their efforts to V": invited to act (the clause about the city
/// decides).
fn acts_next(x: &Clause) -> bool {
    let after = &x.after;
    let clause_after = after.split([';', '.', ':']).next().unwrap_or("");
    let after_words = words(clause_after);
    after_words.iter().take(14).enumerate().any(|(i, w)| {
        w == "to"
            && after_words.get(i + 1).is_some_and(|v| {
                !x.c.scales.contains(&v.as_str())
                    && !["the", "receive", "access", "benefit", "be"].contains(&v.as_str())
            })
    }) || x.next() == "to"
        || after.trim_start().starts_with("in their efforts")
        || in_own_act(&after_words)
}

/// "... in V-ing" (or "in ... decision-making") soon after the mention: helped in its own
/// act ("help local governments in financial planning", "assisting local governments and the
/// public in climate change decision-making"); "cities in developing countries" is a place.
fn in_own_act(after_words: &[String]) -> bool {
    after_words.iter().take(8).enumerate().any(|(i, w)| {
        w == "in"
            && after_words[i + 1..]
                .iter()
                .take(4)
                .enumerate()
                .any(|(j, v)| {
                    let next = after_words.get(i + 2 + j).map(String::as_str);
                    (v.ends_with("ing")
                        && !matches!(next, Some("countries" | "country" | "states")))
                        || v.ends_with("-making")
                })
    })
}

/// Level: a scale in a list of scales followed by "levels", or the tier of a government's
/// policy or plan ("subnational government policies").
fn level_listed(x: &Clause) -> Option<Decision> {
    let levels_follow = x
        .next_words
        .iter()
        .take(6)
        .any(|w| x.c.level_nouns.contains(&w.as_str()));
    if !x.body && x.scale_near() && levels_follow {
        return Some((Role::Level, "level.scale-list", vec!["… levels".into()]));
    }
    (x.body && POLICY_NOUNS.contains(&x.next()))
        .then(|| (Role::Level, "level.tier-of", vec![x.next().to_string()]))
}

/// Setting: a city as the place where something happens ("opportunities in cities",
/// "concentrated in cities"), whatever else the clause lists. A municipality can be a place
/// too ("all persons living in a municipality").
fn setting_in_place(x: &Clause) -> Option<Decision> {
    let place_term = x.is("city") || x.term.text.to_lowercase().starts_with("municipalit");
    if !place_term {
        return None;
    }
    let cue = match x.prev_words.as_slice() {
        [.., w] if LOCATIVES.contains(&w.as_str()) => w.clone(),
        [.., p, a] if ARTICLES.contains(&a.as_str()) && LOCATIVES.contains(&p.as_str()) => {
            format!("{p} {a}")
        }
        _ => return None,
    };
    Some((Role::Setting, "setting.in-place", vec![cue]))
}

/// Actor: named in a list of stakeholders.
fn actor_listed(x: &Clause) -> Option<Decision> {
    let st = found(&x.whole, x.c.stakeholders);
    (!st.is_empty() && (x.body || x.is("city"))).then_some((
        Role::Actor,
        "actor.stakeholder-list",
        st,
    ))
}

/// Level: the tier of a plan, system or data ("subnational planning"; not for urban terms:
/// "urban planning" is a topic, a setting, not a tier), or "national and subnational".
fn level_tier(x: &Clause) -> Option<Decision> {
    if x.body {
        return None;
    }
    let tier_follows =
        x.c.tier_nouns
            .iter()
            .any(|n| x.next_words.iter().take(2).any(|w| w == n));
    if !x.is("urban") && !x.is("city") && tier_follows {
        return Some((Role::Level, "level.tier-of", vec![x.next().to_string()]));
    }
    (x.scale_near() && x.is("subnational")).then(|| {
        (
            Role::Level,
            "level.scale-list",
            vec!["national and …".into()],
        )
    })
}

/// Actor: a city or body doing a governing act ("cities ... adopting and implementing
/// integrated policies").
fn actor_governing(x: &Clause) -> Option<Decision> {
    if !(x.body || x.is("city")) {
        return None;
    }
    let after = words(x.after.split([',', ';', '.']).next().unwrap_or(""));
    if let Some(v) = after
        .iter()
        .take(5)
        .find(|w| GOVERNING_VERBS.contains(&w.as_str()))
    {
        return Some((Role::Actor, "actor.governing-verb", vec![v.clone()]));
    }
    actor_subject(x, &after)
}

/// Actor: the mention is the subject of an active verb after an auxiliary, directly after
/// it ("local governments will implement", "cities are leading", "mayors have committed").
fn actor_subject(x: &Clause, after: &[String]) -> Option<Decision> {
    let aux = after
        .first()
        .filter(|w| AUXILIARIES.contains(&w.as_str()))?;
    let before = words(&x.text[x.a..x.start]);
    if before
        .last()
        .is_some_and(|w| PREPOSITIONS.contains(&w.as_str()))
    {
        return None;
    }
    let next = after.get(1).map(String::as_str).unwrap_or("");
    let next = if next == "also" || next == "not" {
        after.get(2).map(String::as_str).unwrap_or("")
    } else {
        next
    };
    let active = match aux.as_str() {
        // "are implementing", not "are planned", "are vulnerable", "are a source".
        "are" => next.ends_with("ing") && next != "being",
        // "have committed", "have a role to play"; not "have been".
        "have" | "has" => !next.is_empty() && next != "been" && next != "to",
        // "will implement", not "will be affected", "should be places".
        _ => !next.is_empty() && next != "be",
    };
    active.then(|| (Role::Actor, "actor.subject", vec![format!("{aux} {next}")]))
}

/// Setting: urban places and topics, municipal things.
fn setting_urban(x: &Clause) -> Option<Decision> {
    (x.is("urban") || (x.is("local_government") && !x.body)).then(|| {
        let cue = format!("{} {}", &x.text[x.start..x.end].to_lowercase(), x.next());
        (Role::Setting, "setting.place-or-topic", vec![cue])
    })
}

/// Actor: a governance cue in the clause.
fn actor_governance(x: &Clause) -> Option<Decision> {
    let gv = found(&x.whole, x.c.governance);
    (!gv.is_empty()).then_some((Role::Actor, "actor.governance-cue", gv))
}

/// Verbs whose subject receives what others give: "local governments received 61 per cent of
/// bilateral climate finance" makes them the object of others' action (a target).
const RECEIVING: &[&str] = &[
    "receive",
    "receives",
    "received",
    "receiving",
    "benefit",
    "benefits",
    "benefited",
    "benefiting",
    "recibieron",
    "reciben",
    "reçoivent",
    "ont reçu",
];

/// When no rule applies: a body acts, a subnational term names a tier, the rest is a place.
/// A body acts by default, but not where the clause says it receives ("received 61 per cent of
/// finance": target), nor "in local government" (a sector, a setting).
fn by_default(x: &Clause) -> Decision {
    let received = x
        .next_words
        .iter()
        .take(3)
        .find(|w| RECEIVING.contains(&w.as_str()));
    if let (true, Some(w)) = (x.body, received) {
        return (Role::Target, "target.receives", vec![w.clone()]);
    }
    let in_sector = x
        .prev_words
        .last()
        .is_some_and(|w| w == "in" || w == "en" || w == "dans");
    if x.body && in_sector && !x.text[x.start..x.end].ends_with('s') {
        return (
            Role::Setting,
            "setting.in-sector",
            vec![format!("in {}", x.next())],
        );
    }
    if x.body {
        (Role::Actor, "actor.default-body", vec![])
    } else if x.is("subnational") {
        (Role::Level, "level.default-tier", vec![])
    } else {
        (Role::Setting, "setting.default-place", vec![])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lexicon::Lexicon;

    fn role_of(lang: &str, text: &str) -> (Role, &'static str) {
        let m = Lexicon::builtin().matcher(lang);
        let x = m.find(text)[0];
        let c = classify(text, x.start, x.end, &m.terms()[x.term], lang, false);
        (c.role, c.rule)
    }

    #[test]
    fn ceremonial_rules() {
        assert_eq!(
            role_of(
                "en",
                "Expresses its gratitude to the people of the city of Glasgow;"
            ),
            (Role::Ceremonial, "ceremonial.gratitude")
        );
        assert_eq!(
            role_of(
                "en",
                "the secretariat in Songdo, Incheon City, Republic of Korea;"
            ),
            (Role::Ceremonial, "ceremonial.place-name")
        );
        assert_eq!(
            role_of(
                "es",
                "Expresa su gratitud al pueblo de la ciudad de Sharm el-Sheikh;"
            ),
            (Role::Ceremonial, "ceremonial.gratitude")
        );
        assert_eq!(
            role_of("fr", "Remercie la population de la ville de Paris;"),
            (Role::Ceremonial, "ceremonial.gratitude")
        );
    }

    #[test]
    fn an_auxiliary_after_a_mention_is_no_agency_by_itself() {
        for (text, role) in [
            ("Local governments will implement the plans;", Role::Actor),
            ("Cities are leading the transition;", Role::Actor),
            (
                "By readdressing the way cities are planned and financed;",
                Role::Setting,
            ),
            (
                "that cities should be places of equal opportunities;",
                Role::Setting,
            ),
            ("Cities will be affected by sea-level rise;", Role::Setting),
        ] {
            assert_eq!(role_of("en", text).0, role, "{text}");
        }
    }

    #[test]
    fn a_body_that_receives_or_is_a_sector_is_no_actor_by_default() {
        assert_eq!(
            role_of(
                "en",
                "national and local governments received 51 and 61 per cent of bilateral climate finance;"
            ),
            (Role::Target, "target.receives")
        );
        assert_eq!(
            role_of(
                "en",
                "ministries and departments, including those working in local government, on how;"
            ),
            (Role::Setting, "setting.in-sector")
        );
    }

    #[test]
    fn a_city_supported_or_enabled_to_act_is_an_actor() {
        for (text, role) in [
            (
                "growth and enabling cities to improve their service delivery;",
                Role::Actor,
            ),
            (
                "encourages Parties to support cities to implement their plans;",
                Role::Actor,
            ),
            (
                "frameworks that enable the positive contribution of migrants to cities;",
                Role::Setting,
            ),
            (
                "strengthen the capacity of cities to implement their plans;",
                Role::Target,
            ),
            (
                "and for assisting local governments and the public in climate change decision-making;",
                Role::Actor,
            ),
            ("funding for cities in developing countries;", Role::Target),
        ] {
            assert_eq!(role_of("en", text).0, role, "{text}");
        }
    }

    #[test]
    fn transfers_to_a_government_target_it_and_levels_of_government_name_levels() {
        assert_eq!(
            role_of(
                "en",
                "systems for financial transfers from national Governments to local governments based on needs;"
            )
            .0,
            Role::Target
        );
        assert_eq!(
            role_of(
                "en",
                "promoting, at the appropriate level of government, including local government, security of tenure;"
            ),
            (Role::Level, "level.scale")
        );
        assert_eq!(
            role_of(
                "en",
                "We will support local governments in determining their own structures;"
            )
            .0,
            Role::Actor
        );
    }

    #[test]
    fn an_adjective_names_a_body_only_in_its_own_noun_phrase() {
        for (text, role) in [
            (
                "actions at the global, regional, national, subnational and local levels that Governments and stakeholders take;",
                Role::Level,
            ),
            (
                "to decrease inequalities across subnational territories, within urban centres;",
                Role::Level,
            ),
            (
                "Recipient countries will nominate competent subnational, national and regional implementing entities for accreditation;",
                Role::Target,
            ),
        ] {
            assert_eq!(role_of("en", text).0, role, "{text}");
        }
    }

    #[test]
    fn a_governments_websites_name_a_tier() {
        assert_eq!(
            role_of(
                "en",
                "Make information available on national and subnational government websites;"
            ),
            (Role::Level, "level.tier-of")
        );
    }

    #[test]
    fn a_named_city_that_pledges_acts() {
        assert_eq!(
            role_of(
                "en",
                "Pledges have been made by Bulgaria, Walloon Region and the city of Paris."
            ),
            (Role::Actor, "actor.contributor")
        );
        assert_eq!(
            role_of(
                "en",
                "the secretariat in Songdo, Incheon City, Republic of Korea;"
            )
            .0,
            Role::Ceremonial
        );
    }

    #[test]
    fn the_right_to_the_city_is_a_topic() {
        assert_eq!(
            role_of(
                "en",
                "We note the efforts of some Governments to enshrine this vision, referred to as \"right to the city\", in their legislation;"
            ),
            (Role::Setting, "setting.topic")
        );
    }

    #[test]
    fn urban_is_never_a_body_whatever_follows() {
        for text in [
            "(ii) Strengthening urban governance, with sound institutions and mechanisms;",
            "mechanisms that empower and include urban stakeholders, as well as checks;",
        ] {
            assert_eq!(role_of("en", text).0, Role::Setting, "{text}");
        }
    }

    #[test]
    fn capitals_alone_make_no_place_name() {
        for text in ["The CITIES are growing;", "The Cities' mayors act;"] {
            assert_ne!(role_of("en", text).1, "ceremonial.place-name", "{text}");
        }
        assert_eq!(
            role_of("en", "held in Quezon City, the Philippines;").1,
            "ceremonial.place-name"
        );
    }

    #[test]
    fn target_rules() {
        assert_eq!(
            role_of(
                "en",
                "Encourages Parties to strengthen the capacities of local authorities;"
            ),
            (Role::Target, "target.support")
        );
        assert_eq!(
            role_of(
                "es",
                "Alienta a fortalecer la capacidad de las autoridades locales;"
            ),
            (Role::Target, "target.support")
        );
        assert_eq!(
            role_of(
                "fr",
                "Invite les Parties à renforcer les capacités des autorités locales;"
            ),
            (Role::Target, "target.support")
        );
        // Invited to act after being supported: the clause about the city decides (actor).
        assert_ne!(
            role_of(
                "en",
                "encourages Parties to support cities to scale up their efforts;"
            )
            .0,
            Role::Target
        );
    }

    #[test]
    fn level_rules() {
        assert_eq!(
            role_of("en", "at the regional, national and subnational levels;"),
            (Role::Level, "level.scale")
        );
        assert_eq!(
            role_of("en", "into national and subnational development planning;"),
            (Role::Level, "level.tier-of")
        );
        assert_eq!(
            role_of(
                "es",
                "en los planos nacional y subnacional, a nivel de los sistemas;"
            )
            .0,
            Role::Level
        );
        assert_eq!(
            role_of(
                "fr",
                "aux échelons national et infranational, niveaux compris;"
            )
            .0,
            Role::Level
        );
    }

    #[test]
    fn actor_rules() {
        assert_eq!(
            role_of(
                "en",
                "civil society, the private sector, financial institutions, cities and other subnational authorities;"
            ),
            (Role::Actor, "actor.stakeholder-list")
        );
        assert_eq!(
            role_of("en", "working in close cooperation with local authorities;"),
            (Role::Actor, "actor.governance-cue")
        );
        assert_eq!(
            role_of("es", "con la participación de los gobiernos locales;").0,
            Role::Actor
        );
        assert_eq!(
            role_of("fr", "en coopération avec les autorités locales;").0,
            Role::Actor
        );
    }

    #[test]
    fn setting_rules_and_deferential_flag() {
        assert_eq!(
            role_of(
                "en",
                "Countries with areas of high urban atmospheric pollution;"
            ),
            (Role::Setting, "setting.place-or-topic")
        );
        assert_eq!(
            role_of("en", "human settlements and urban planning;"),
            (Role::Setting, "setting.place-or-topic")
        );
        assert_eq!(
            role_of("en", "the issuance of municipal bonds;"),
            (Role::Setting, "setting.place-or-topic")
        );
        assert_eq!(
            role_of("es", "la planificación urbana y la vivienda;").0,
            Role::Setting
        );
        assert_eq!(
            role_of("fr", "les zones urbaines et rurales;").0,
            Role::Setting
        );
        let m = Lexicon::builtin().matcher("en");
        let t = "systems and, if appropriate, subnational systems as part of national systems;";
        let x = m.find(t)[0];
        assert!(classify(t, x.start, x.end, &m.terms()[x.term], "en", false).deferential);
        let t = "at the subnational level;";
        let x = m.find(t)[0];
        assert!(!classify(t, x.start, x.end, &m.terms()[x.term], "en", false).deferential);
        // The state must be named: a bare "as appropriate" is not enough.
        let t = "to help local governments, as appropriate, to mobilize revenues;";
        let x = m.find(t)[0];
        let c = classify(t, x.start, x.end, &m.terms()[x.term], "en", false);
        assert!(!c.deferential);
        assert_eq!(c.role, Role::Actor, "{c:?}");
    }
}
