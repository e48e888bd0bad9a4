//! What the human-edited data files (district, holidays) share: errors that name the
//! line and the field, in Chinese, for the clerk who edited the file.

use std::fmt;

/// What is wrong with a data file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFileError {
    /// 1-based line, when the problem can be pinned to one.
    pub line: Option<usize>,
    /// Dotted path of the field, e.g. `office[3].workroom[2].address`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for DataFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "第 {line} 行，字段 {}：{}", self.field, self.message),
            None => write!(f, "字段 {}：{}", self.field, self.message),
        }
    }
}

impl std::error::Error for DataFileError {}

pub(crate) fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Turns serde/TOML errors into the same line + field + Chinese message form.
pub(crate) fn from_toml_error(text: &str, e: &toml::de::Error) -> DataFileError {
    let line = e.span().map(|s| line_of(text, s.start));
    let msg = e.message();
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    let key_on_line = || {
        line.and_then(|l| text.lines().nth(l - 1))
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().to_string())
            .filter(|k| !k.is_empty())
    };
    let (field, message) = if msg.starts_with("missing field") {
        let f = quoted(msg).unwrap_or_default();
        (f.clone(), format!("缺少必填字段 {f}"))
    } else if msg.starts_with("unknown field") {
        let f = quoted(msg).unwrap_or_default();
        let expected = msg
            .split_once("expected")
            .map(|(_, x)| x.trim())
            .unwrap_or("");
        (
            f.clone(),
            format!("不认识的字段 {f}（可用字段：{expected}）"),
        )
    } else if msg.starts_with("invalid type") {
        (
            key_on_line().unwrap_or_default(),
            format!("类型不对：{msg}"),
        )
    } else {
        (
            key_on_line().unwrap_or_default(),
            format!("TOML 格式错误：{msg}"),
        )
    };
    DataFileError {
        line,
        field,
        message,
    }
}
