//! CSV for Excel, the one way the tool writes a table: UTF-8 with a BOM, CRLF line ends, a
//! header row, and every text cell neutralised so that Excel shows it rather than runs it.
//! Pure (bytes in memory); the files are written by [`super::files::Batch`] or a packet.

/// A text cell as Excel will not run it (OWASP "CSV injection"): a text beginning with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is a formula (or a DDE command) to Excel and
/// LibreOffice, so it gets a leading `'`, which they show as text. Numbers are written
/// as numbers by the caller ([`Cell::Number`]) and never pass here.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One cell of a row.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// Written as a plain number, so Excel sorts it.
    Number(Option<i64>),
}

/// The CSV bytes of a header row and its rows.
pub fn table(headers: &[&str], rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut buf: Vec<u8> = "\u{FEFF}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut buf);
        let _ = w.write_record(headers.iter().map(|h| text(h)));
        for r in rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Cell::Text(s) => text(s),
                    Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
                })
                .collect();
            let _ = w.write_record(&cells);
        }
        let _ = w.flush();
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_and_numbers_are_not() {
        let b = table(
            &["a", "b"],
            &[vec![Cell::Text("=1+2".into()), Cell::Number(Some(-3))]],
        );
        let s = String::from_utf8(b).unwrap();
        assert_eq!(s, "\u{FEFF}a,b\r\n'=1+2,-3\r\n");
    }
}
