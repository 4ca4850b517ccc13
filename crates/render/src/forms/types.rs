//! What a caller hands the form renderer and what it gets back: the options, the content
//! of a 別紙, the rendered form, and why a form cannot be rendered ([`FormError`]).

use crate::page::Page;
use std::fmt;

/// A rendered form: its pages and the 別紙 its overflowing values need.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedForm {
    pub pages: Vec<Page>,
    pub annexes: Vec<Annex>,
}

/// What a 別紙 must contain.
#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    /// The N of 「別紙N」 (referenced from the form's box).
    pub number: usize,
    /// e.g. 「別紙1　様式第1号「2 労働者への周知状況」周知方法」.
    pub title: String,
    /// Form name and field label the 別紙 belongs to.
    pub form: String,
    pub field: String,
    /// Who files the form ([`RenderOptions::applicant`]), printed under the title.
    pub applicant: String,
    pub body: AnnexBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AnnexBody {
    /// The full text of a free-text box.
    Text(String),
    /// Table rows that continue on the 別紙, with the table's column headings.
    Rows {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Options for `render_form`.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Number of the first 別紙 this form may create (a packet numbers them across forms).
    pub first_annex: usize,
    /// Who files the form (the 申請事業場's name), printed on every 別紙 it creates.
    pub applicant: &'a str,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            first_annex: 1,
            applicant: "",
        }
    }
}

/// Errors; messages are for the user, in Japanese.
#[derive(Debug, Clone, PartialEq)]
pub enum FormError {
    /// No layout for this form. Not raised here: for the caller that looks layouts up;
    /// `set` names where it looked, in its own words.
    UnknownForm { set: String, form: String },
    /// The layout file itself is wrong (a defect in the layout data).
    Layout { form: String, message: String },
    /// A value could not be computed (missing context key, bad template, wrong type).
    Value {
        form: String,
        field: String,
        template: String,
        message: String,
    },
    /// The fonts cannot draw a character of a value.
    Glyph {
        form: String,
        field: String,
        ch: char,
    },
    /// A one-line value is too long for its box even at the minimum size.
    TooLong {
        form: String,
        field: String,
        text: String,
    },
    /// A table has more rows than `MAX_ROWS_PER_TABLE` (`source` is the context list).
    TooManyRows {
        form: String,
        field: String,
        source: String,
        count: usize,
        max: usize,
    },
    /// A choice value matches none of the options.
    NoOption {
        form: String,
        field: String,
        value: String,
    },
    /// The 別紙 / text-document renderer failed.
    Document { title: String, message: String },
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormError::UnknownForm { set, form } => {
                write!(f, "様式がありません: {set} / {form}")
            }
            FormError::Layout { form, message } => {
                write!(f, "{form}のレイアウト定義に誤りがあります: {message}")
            }
            FormError::Value {
                form,
                field,
                template,
                message,
            } => write!(
                f,
                "{form}の欄「{field}」の値を求められません（{template}）: {message}"
            ),
            FormError::Glyph { form, field, ch } => write!(
                f,
                "{form}の欄「{field}」に使えない文字があります: {ch}（U+{:04X}）",
                *ch as u32
            ),
            FormError::TooLong { form, field, text } => {
                write!(f, "{form}の欄「{field}」が長すぎて枠に収まりません: {text}")
            }
            FormError::TooManyRows {
                form,
                field,
                count,
                max,
                ..
            } => write!(
                f,
                "{form}の欄「{field}」の行が{count}行あります。1つの表に書けるのは{max}行までです（{max}行を超える分は別紙にも載せません）"
            ),
            FormError::NoOption { form, field, value } => {
                write!(
                    f,
                    "{form}の欄「{field}」の値「{value}」は選択肢にありません"
                )
            }
            FormError::Document { title, message } => {
                write!(f, "「{title}」を作成できません: {message}")
            }
        }
    }
}

impl std::error::Error for FormError {}
