//! How every command reads a file of facts: a claim or answers file, standard input (`-`),
//! or a file that lies in a book (`<client>/claims/<name>.toml`), which is read as the book
//! reads it — with the client's profile and, for a grant, its history. Whatever the
//! source, the facts go through the one input boundary ([`crate::input`]) and the file's
//! programme ([`crate::programmes::read`]).

use crate::input::book::{self, BookInput, Client, STDIN_LABEL};
use crate::input::{Doc, Format, Input, InputError};
use crate::programmes::{self, Case};
use std::path::Path;

/// A file of facts, read, with what the book adds when it lies in one.
#[derive(Debug)]
pub struct Loaded {
    pub case: Box<dyn Case>,
    /// Contradictions between the file and its book (none for a file alone).
    pub contradictions: Vec<String>,
    /// The book's remarks (a profile value the file overrides, a round from the history).
    pub notes: Vec<String>,
    /// Other files of the book this one's facts were derived from.
    pub derived_from: Vec<String>,
}

impl Loaded {
    fn alone(case: Box<dyn Case>) -> Loaded {
        Loaded {
            case,
            contradictions: Vec::new(),
            notes: Vec::new(),
            derived_from: Vec::new(),
        }
    }
}

/// Reads a file of facts, or standard input for `-` (TOML, or JSON when the text starts with
/// `{`).
pub fn load(path: &Path) -> Result<Loaded, InputError> {
    if path.as_os_str() == "-" {
        let text = match crate::input::limits::read_bounded(
            std::io::stdin(),
            crate::input::limits::FACTS_FILE,
        ) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| e.to_string()),
            Err(crate::input::limits::ReadError::Io(e)) => Err(e.to_string()),
            Err(too_large) => return Err(book::whole_file(STDIN_LABEL, too_large.to_string())),
        };
        let text = text.map_err(|e| {
            book::whole_file(
                STDIN_LABEL,
                format!("標準入力を UTF-8 のテキストとして読めません（{e}）。"),
            )
        })?;
        let input = Input::parse(STDIN_LABEL, &text, Format::sniff(&text));
        return programmes::read(input).map(Loaded::alone);
    }
    match book::client_of_claim(path) {
        Some(dir) => load_book_claim(&dir, path),
        None => {
            let doc = Doc::load(path)?;
            programmes::read(Input::of(&doc)).map(Loaded::alone)
        }
    }
}

/// What a book claim is made of, by its programme, or the errors of its files.
pub fn book_input(client: &Client, index: usize) -> Result<BookInput, Vec<InputError>> {
    let c = &client.claims[index];
    let mut errors: Vec<InputError> = Vec::new();
    errors.extend(c.error.clone());
    errors.extend(client.profile_error.clone());
    if !errors.is_empty() {
        return Err(errors);
    }
    match programmes::of_tree(&c.src.parsed.root) {
        Ok(p) => Ok(p.book_input(client, index)),
        Err(problem) => Err(vec![InputError {
            file: c.src.label.clone(),
            problems: vec![problem],
        }]),
    }
}

/// A claim file of a book client, read as the book reads it.
fn load_book_claim(dir: &Path, path: &Path) -> Result<Loaded, InputError> {
    let label = path.display().to_string();
    let mut client = programmes::load_client(dir);
    let same = |c: &book::ClaimSource| {
        std::fs::canonicalize(&c.src.label).ok() == std::fs::canonicalize(path).ok()
    };
    let Some(i) = client.claims.iter().position(same) else {
        let doc = Doc::load(path)?;
        return programmes::read(Input::of(&doc)).map(Loaded::alone);
    };
    // Messages name the file as the user named it.
    client.claims[i].src.label = label.clone();
    if let Some(e) = &mut client.claims[i].error {
        e.file = label.clone();
    }
    let built = book_input(&client, i).map_err(|errs| InputError::join(&label, errs))?;
    let case = programmes::read(built.input).map_err(|e| InputError::join(&label, e.by_file()))?;
    Ok(Loaded {
        case,
        contradictions: built.contradictions,
        notes: built.notes,
        derived_from: built.derived_from,
    })
}
