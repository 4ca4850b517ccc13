//! The columns of an office's client list (`import`): an imported row is one of the input
//! boundary's sources. Each programme declares the columns of its profile
//! (`Programme::profile_columns`); `import` reads every cell by its column's [`Kind`] and
//! the programme's profile check judges the values, as for a client.toml.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Digits with hyphens kept as text (郵便番号, 電話, 番号類); 全角 digits made 半角.
    Code,
    /// Digits kept as text, 全角 made 半角 and nothing else (a 7-digit 記号 is not a postal
    /// code).
    Digits,
    Int,
    Bool,
    /// 法人 / 個人 → corporation / individual.
    Entity,
    /// 法人 / 個人 → corporation / personal.
    Holder,
    /// A フリガナ: ひらがな and 半角カナ made 全角カタカナ (said in the report).
    Kana,
}

/// One column: its header (the label on the programme's form), the other headers accepted
/// for it, the profile key it fills and how its cell is read.
pub struct Column {
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    /// Dotted path in client.toml; empty for the folder column.
    pub path: &'static str,
    pub kind: Kind,
    pub help: &'static str,
    /// A value in it names the client (a row needs one: 名称, 法人名).
    pub names_client: bool,
    /// The programme's own reading of a cell, instead of its kind's (a choice written as
    /// its number or its words).
    pub read: Option<fn(&str) -> Result<toml::Value, String>>,
}

pub const fn col(
    header: &'static str,
    aliases: &'static [&'static str],
    path: &'static str,
    kind: Kind,
    help: &'static str,
) -> Column {
    Column {
        header,
        aliases,
        path,
        kind,
        help,
        names_client: false,
        read: None,
    }
}

impl Column {
    /// The same column, naming the client.
    pub const fn naming(mut self) -> Column {
        self.names_client = true;
        self
    }

    /// The same column, its cells read by `read`.
    pub const fn reading(mut self, read: fn(&str) -> Result<toml::Value, String>) -> Column {
        self.read = Some(read);
        self
    }
}
