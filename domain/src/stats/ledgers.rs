//! Ledgers: the exports' tables.

use super::{wan_yuan_text, Dashboard, Figures, RatingFigures, Ratio, WaitlistFigures};
use crate::booking::FieldError;
use crate::mediation::{Fen, Referral};
use serde::{Deserialize, Serialize};

/// Which ledger an export lays out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ledger {
    /// 法律服务接待统计台账: per place and service.
    Services,
    /// 人民调解工作统计台账: per place.
    Mediation,
}

impl Ledger {
    pub const ALL: [Ledger; 2] = [Ledger::Services, Ledger::Mediation];
    pub fn parse(text: &str) -> Result<Ledger, FieldError> {
        match text.trim() {
            "" | "services" => Ok(Ledger::Services),
            "mediation" => Ok(Ledger::Mediation),
            _ => Err(FieldError::new(
                "ledger",
                "台账应为 services 或 mediation",
                "The ledger must be “services” or “mediation”",
            )),
        }
    }
    pub const fn code(self) -> &'static str {
        match self {
            Ledger::Services => "services",
            Ledger::Mediation => "mediation",
        }
    }
    pub const fn title_zh(self) -> &'static str {
        match self {
            Ledger::Services => "法律服务接待统计台账",
            Ledger::Mediation => "人民调解工作统计台账",
        }
    }
}

/// A ledger cell: numbers stay numbers in a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A decimal shown with the given number of places (minutes, 万元).
    Decimal(f64, u8),
    Empty,
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Decimal(x, places) => format!("{x:.*}", usize::from(*places)),
            Cell::Empty => String::new(),
        }
    }
}

/// A ledger as a table: a title line, the column heads, one row per place (and service),
/// and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub heads: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

fn int(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn pct(r: &Ratio) -> Cell {
    r.percent.clone().map_or(Cell::Empty, Cell::Text)
}

fn minutes_cell(m: Option<f64>) -> Cell {
    m.map_or(Cell::Empty, |m| Cell::Decimal(m, 1))
}

/// The waiting-list column group of a services ledger row.
fn waitlist_cells(w: &WaitlistFigures) -> [Cell; 5] {
    [
        int(w.joined),
        int(w.offered),
        int(w.taken),
        int(w.expired),
        pct(&w.taken_rate),
    ]
}

/// Columns of the services ledger before its waiting-list group.
const SERVICES_WIDTH: usize = 15;

/// The ratings column group of a services ledger row, after the waiting list's: ratings,
/// per level, good, the rate, reasons, follow-ups and their on-time rate.
fn rating_cells(r: &RatingFigures) -> Vec<Cell> {
    let mut cells = vec![int(r.total)];
    cells.extend(r.levels.iter().map(|c| int(c.count)));
    cells.extend([int(r.good), pct(&r.satisfaction_rate)]);
    cells.extend(r.reasons.iter().map(|c| int(c.count)));
    cells.extend([
        int(r.follow_ups()),
        int(r.closed_on_time),
        int(r.closed_late),
        int(r.open),
        int(r.overdue),
        pct(&r.on_time_rate),
    ]);
    cells
}

/// Heads of [`rating_cells`], in its order (levels and reasons as `domain::rating` lists them).
const RATING_HEADS: [&str; 20] = [
    "评价(次)",
    "非常满意",
    "满意",
    "基本满意",
    "不满意",
    "非常不满意",
    "好评(次)",
    "满意率",
    "差评原因:服务态度",
    "差评原因:等候时间",
    "差评原因:解答不清楚",
    "差评原因:处理结果",
    "差评原因:环境设施",
    "差评原因:其他",
    "差评回访(件)",
    "按期办结(件)",
    "逾期办结(件)",
    "回访中(件)",
    "超期未办结(件)",
    "按期办结率",
];

/// The ledger of a dashboard: its drill-down rows (or the scope alone), then 合计.
pub fn ledger(d: &Dashboard, which: Ledger) -> Table {
    let mut lines: Vec<(String, &Figures)> = d
        .rows
        .iter()
        .map(|r| (r.name.clone(), &r.figures))
        .collect();
    lines.push(("合计".to_string(), &d.figures));
    let title = format!(
        "{}（{}，{}）",
        which.title_zh(),
        d.scope_name,
        d.period.label_zh()
    );
    match which {
        Ledger::Services => {
            let mut rows = Vec::new();
            for (name, f) in &lines {
                for b in &f.bookings {
                    let known = b.attended + b.no_show;
                    rows.push(vec![
                        Cell::Text(name.clone()),
                        Cell::Text(b.service.name(crate::Lang::ZhCn).into()),
                        int(b.total),
                        int(b.cancelled),
                        int(b.rescheduled),
                        int(b.attended),
                        int(b.no_show),
                        pct(&Ratio::new(b.no_show, known)),
                        int(b.walk_ins),
                        int(b.attended + b.walk_ins),
                    ]);
                    let row = rows.last_mut().expect("just pushed");
                    row.resize(SERVICES_WIDTH, Cell::Empty);
                    row.extend(waitlist_cells(&b.waitlist));
                    row.extend(rating_cells(&b.ratings));
                }
                rows.push(vec![
                    Cell::Text(name.clone()),
                    Cell::Text("小计".into()),
                    int(f.bookings_total),
                    int(f.cancelled),
                    int(f.rescheduled),
                    int(f.bookings.iter().map(|b| b.attended).sum()),
                    int(f.no_show_rate.numerator),
                    pct(&f.no_show_rate),
                    int(f.walk_ins),
                    int(f.bookings.iter().map(|b| b.attended + b.walk_ins).sum()),
                ]);
                let last = rows.last_mut().expect("just pushed");
                last.extend([
                    minutes_cell(f.wait.average_minutes),
                    f.wait
                        .p90_minutes
                        .map_or(Cell::Empty, |m| Cell::Int(i64::from(m))),
                    minutes_cell(f.service_time.average_minutes),
                    int(f.psychology_youth_share.numerator),
                    pct(&f.psychology_youth_share),
                ]);
                last.extend(waitlist_cells(&f.waitlist));
                last.extend(rating_cells(&f.ratings));
            }
            let mut heads = vec![
                "单位",
                "服务",
                "预约(人次)",
                "取消",
                "改约",
                "到场",
                "未到",
                "爽约率",
                "现场(人次)",
                "接待合计(人次)",
                "平均等候(分钟)",
                "90%等候(分钟)",
                "平均服务(分钟)",
                "青少年心理咨询(人次)",
                "青少年占比",
                "候补登记(人次)",
                "候补通知(次)",
                "候补转预约(次)",
                "候补逾期(次)",
                "候补转预约率",
            ];
            heads.extend(RATING_HEADS);
            Table { title, heads, rows }
        }
        Ledger::Mediation => Table {
            title,
            heads: vec![
                "单位",
                "收到申请(件)",
                "不予受理",
                "受理纠纷(件)",
                "成功化解(件)",
                "成功率",
                "书面协议(份)",
                "口头协议(件)",
                "涉及金额(万元)",
                "调解不成",
                "对方不同意调解",
                "诉调对接",
                "三所联动",
                "检调联动",
                "访调联动",
                "尚在调解",
                "知识产权受理",
                "知识产权成功",
            ],
            rows: lines
                .iter()
                .map(|(name, f)| {
                    let m = &f.mediation;
                    vec![
                        Cell::Text(name.clone()),
                        int(m.requests),
                        int(m.refused),
                        int(m.accepted),
                        int(m.settled),
                        pct(&m.success_rate),
                        int(m.written_agreements),
                        int(m.oral_agreements),
                        Cell::Decimal(wan_yuan_text(Fen(m.amount_fen)).parse().unwrap_or(0.0), 2),
                        int(m.failed),
                        int(m.not_mediated),
                        int(m.referrals_via(Referral::Court)),
                        int(m.referrals_via(Referral::PoliceLawFirm)),
                        int(m.referrals_via(Referral::Procuratorate)),
                        int(m.referrals_via(Referral::Department)),
                        int(m.open),
                        int(m.ip_accepted),
                        int(m.ip_settled),
                    ]
                })
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixtures::{period, places, waiting_lists};
    use crate::stats::Scope;
    use crate::LocationId;

    #[test]
    fn the_services_ledger_ends_with_the_waiting_list_columns() {
        let d = Dashboard::build(
            Scope::Place(LocationId(1)),
            period("2026-03-01", "2026-04-30"),
            &places(),
            &waiting_lists(),
            &[],
        );
        let t = ledger(&d, Ledger::Services);
        assert_eq!(t.heads.len(), SERVICES_WIDTH + 5 + RATING_HEADS.len());
        assert_eq!(t.heads[SERVICES_WIDTH], "候补登记(人次)");
        let waitlist = SERVICES_WIDTH..SERVICES_WIDTH + 5;
        assert!(t.rows.iter().all(|r| r.len() == t.heads.len()));
        let texts = |r: &Vec<Cell>| r.iter().map(Cell::text).collect::<Vec<_>>();
        let line = |name: &str, service: &str| {
            texts(
                t.rows
                    .iter()
                    .find(|r| r[0].text() == name && r[1].text() == service)
                    .unwrap_or_else(|| panic!("{name} {service}")),
            )
        };
        assert_eq!(
            line("一所", "公证咨询")[waitlist.clone()],
            ["1", "1", "1", "0", "100.00%"]
        );
        assert_eq!(
            line("一所工作室", "法律咨询")[waitlist.clone()],
            ["3", "3", "1", "1", "33.33%"]
        );
        // the service's own columns stop where the subtotal's go on
        assert!(line("一所工作室", "法律咨询")[10..SERVICES_WIDTH]
            .iter()
            .all(String::is_empty));
        assert_eq!(
            line("合计", "小计")[waitlist],
            ["4", "4", "2", "1", "50.00%"]
        );
        // the mediation ledger is as it was
        assert_eq!(ledger(&d, Ledger::Mediation).heads.len(), 18);
    }

    #[test]
    fn the_services_ledger_ends_with_the_rating_columns() {
        let d = Dashboard::build(
            Scope::District,
            period("2026-03-01", "2026-04-30"),
            &places(),
            &crate::stats::fixtures::ratings(),
            &[],
        );
        let t = ledger(&d, Ledger::Services);
        let start = SERVICES_WIDTH + 5;
        assert_eq!(t.heads.len(), start + RATING_HEADS.len());
        assert_eq!(
            t.heads[start - 1],
            "候补转预约率",
            "the columns before stay as they were"
        );
        assert_eq!(t.heads[start], "评价(次)");
        assert!(t.rows.iter().all(|r| r.len() == t.heads.len()));
        // the reasons' heads are domain::rating's labels, in its order
        for (i, r) in crate::rating::Reason::ALL.iter().enumerate() {
            assert_eq!(t.heads[start + 8 + i], format!("差评原因:{}", r.label_zh()));
        }
        for (i, l) in crate::rating::Level::ALL.iter().enumerate() {
            assert_eq!(t.heads[start + 1 + i], l.label_zh());
        }
        let texts = |r: &Vec<Cell>| r.iter().map(Cell::text).collect::<Vec<_>>();
        let line = |name: &str, service: &str| {
            texts(
                t.rows
                    .iter()
                    .find(|r| r[0].text() == name && r[1].text() == service)
                    .unwrap_or_else(|| panic!("{name} {service}")),
            )
        };
        assert_eq!(
            line("一所", "人民调解")[start..],
            [
                "4", "1", "1", "1", "0", "1", "3", "75.00%", "0", "0", "1", "1", "0", "0", "1",
                "0", "0", "0", "1", "0.00%"
            ]
        );
        assert_eq!(
            line("合计", "小计")[start..],
            [
                "11", "5", "2", "1", "1", "2", "8", "72.73%", "1", "1", "1", "1", "0", "0", "3",
                "1", "1", "0", "1", "33.33%"
            ]
        );
        // without ratings: zeros, and no rates
        let quiet = Dashboard::build(
            Scope::District,
            period("2026-03-01", "2026-04-30"),
            &places(),
            &waiting_lists(),
            &[],
        );
        let t = ledger(&quiet, Ledger::Services);
        let total = t.rows.last().unwrap();
        assert_eq!(total[start].text(), "0");
        assert_eq!(total[start + 7].text(), "");
    }
}
