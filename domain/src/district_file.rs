//! The district data file: a human-editable TOML file listing the offices, their workrooms,
//! the services each offers and their weekly schedules. `seed/demo-district.toml` is the
//! demo district; another district loads its own file. A bad file is rejected with the line
//! and the field that are wrong, in Chinese, so that the clerk who edited it can fix it.

use crate::{Location, LocationId, LocationKind, ServiceCode, ServiceOffer, WeeklySession};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use toml::Spanned;

pub use crate::datafile::DataFileError;
use crate::datafile::{from_toml_error, line_of};

/// A loaded district: its name and every place, offices in file order, each office
/// followed by its workrooms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    pub name: String,
    pub bureau: String,
    pub locations: Vec<Location>,
}

impl District {
    pub fn offices(&self) -> impl Iterator<Item = &Location> {
        self.locations
            .iter()
            .filter(|l| l.kind == LocationKind::Office)
    }
    pub fn workrooms(&self) -> impl Iterator<Item = &Location> {
        self.locations
            .iter()
            .filter(|l| l.kind == LocationKind::Workroom)
    }
}

/// What is wrong with a district file, and where.
pub type DistrictFileError = DataFileError;

// ---- raw shape of the file, as serde reads it --------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    district: RawDistrict,
    #[serde(default)]
    templates: BTreeMap<String, Spanned<SessionList>>,
    #[serde(default)]
    office: Vec<Spanned<RawOffice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    name: Spanned<String>,
    bureau: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    id: Spanned<i64>,
    name: Spanned<String>,
    area: Spanned<String>,
    address: Spanned<String>,
    phone: Option<Spanned<String>>,
    services: Spanned<BTreeMap<Spanned<String>, Spanned<ServiceValue>>>,
    #[serde(default)]
    workroom: Vec<Spanned<RawWorkroom>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkroom {
    id: Spanned<i64>,
    name: Spanned<String>,
    neighbourhood: Spanned<String>,
    address: Spanned<String>,
    phone: Option<Spanned<String>>,
    services: Spanned<BTreeMap<Spanned<String>, Spanned<ServiceValue>>>,
}

/// A service's schedule: `"@template"` or a list of session strings.
enum ServiceValue {
    Template(String),
    Sessions(Vec<String>),
}

struct SessionList(Vec<String>);

impl<'de> Deserialize<'de> for SessionList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(d).map(SessionList)
    }
}

impl<'de> Deserialize<'de> for ServiceValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ServiceValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a template reference \"@name\" or a list of session strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ServiceValue, E> {
                Ok(ServiceValue::Template(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ServiceValue, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(ServiceValue::Sessions(out))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- loading ------------------------------------------------------------------------------

/// Parses and validates a district data file.
pub fn parse_district(text: &str) -> Result<District, DistrictFileError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| from_toml_error(text, &e))?;
    Loader {
        text,
        templates: HashMap::new(),
        ids: HashMap::new(),
        names: HashMap::new(),
    }
    .load(raw)
}

struct Loader<'t> {
    text: &'t str,
    templates: HashMap<String, Vec<WeeklySession>>,
    /// id → field path where it was first used
    ids: HashMap<i64, String>,
    names: HashMap<String, String>,
}

impl Loader<'_> {
    fn err<T>(
        &self,
        span: std::ops::Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Result<T, DistrictFileError> {
        Err(DistrictFileError {
            line: Some(line_of(self.text, span.start)),
            field: field.to_string(),
            message: message.into(),
        })
    }

    fn load(mut self, raw: RawFile) -> Result<District, DistrictFileError> {
        let name = self.text_field(&raw.district.name, "district.name", 60)?;
        let bureau = self.text_field(&raw.district.bureau, "district.bureau", 60)?;

        for (tname, list) in &raw.templates {
            let field = format!("templates.{tname}");
            let sessions = self.sessions(&list.get_ref().0, list.span(), &field)?;
            self.templates.insert(tname.clone(), sessions);
        }

        if raw.office.is_empty() {
            return Err(DistrictFileError {
                line: None,
                field: "office".into(),
                message: "文件中至少要有一个司法所（[[office]]）".into(),
            });
        }

        let mut locations = Vec::new();
        for (oi, office) in raw.office.iter().enumerate() {
            let path = format!("office[{}]", oi + 1);
            let o = office.get_ref();
            let id = self.id(&o.id, &format!("{path}.id"))?;
            let oname = self.text_field(&o.name, &format!("{path}.name"), 60)?;
            self.unique_name(&o.name, &oname, &format!("{path}.name"))?;
            let area = self.text_field(&o.area, &format!("{path}.area"), 40)?;
            locations.push(Location {
                id,
                kind: LocationKind::Office,
                office_id: None,
                name: oname,
                area: area.clone(),
                neighbourhood: String::new(),
                address: self.text_field(&o.address, &format!("{path}.address"), 120)?,
                phone: self.phone(&o.phone, &format!("{path}.phone"))?,
                services: self.services(&o.services, &format!("{path}.services"))?,
            });
            for (wi, room) in o.workroom.iter().enumerate() {
                let wpath = format!("{path}.workroom[{}]", wi + 1);
                let w = room.get_ref();
                let wid = self.id(&w.id, &format!("{wpath}.id"))?;
                let wname = self.text_field(&w.name, &format!("{wpath}.name"), 60)?;
                self.unique_name(&w.name, &wname, &format!("{wpath}.name"))?;
                locations.push(Location {
                    id: wid,
                    kind: LocationKind::Workroom,
                    office_id: Some(id),
                    name: wname,
                    area: area.clone(),
                    neighbourhood: self.text_field(
                        &w.neighbourhood,
                        &format!("{wpath}.neighbourhood"),
                        40,
                    )?,
                    address: self.text_field(&w.address, &format!("{wpath}.address"), 120)?,
                    phone: self.phone(&w.phone, &format!("{wpath}.phone"))?,
                    services: self.services(&w.services, &format!("{wpath}.services"))?,
                });
            }
        }
        Ok(District {
            name,
            bureau,
            locations,
        })
    }

    fn text_field(
        &self,
        value: &Spanned<String>,
        field: &str,
        max_chars: usize,
    ) -> Result<String, DistrictFileError> {
        let v = value.get_ref().trim();
        if v.is_empty() {
            return self.err(value.span(), field, "不能为空");
        }
        if v.chars().count() > max_chars {
            return self.err(
                value.span(),
                field,
                format!("太长了，最多 {max_chars} 个字"),
            );
        }
        Ok(v.to_string())
    }

    fn id(&mut self, value: &Spanned<i64>, field: &str) -> Result<LocationId, DistrictFileError> {
        let id = *value.get_ref();
        if id <= 0 {
            return self.err(value.span(), field, "编号必须是正整数");
        }
        if let Some(first) = self.ids.get(&id) {
            return self.err(value.span(), field, format!("编号 {id} 已被 {first} 使用"));
        }
        self.ids.insert(id, field.to_string());
        Ok(LocationId(id))
    }

    fn unique_name(
        &mut self,
        span: &Spanned<String>,
        name: &str,
        field: &str,
    ) -> Result<(), DistrictFileError> {
        if let Some(first) = self.names.get(name) {
            return self.err(span.span(), field, format!("名称“{name}”与 {first} 重复"));
        }
        self.names.insert(name.to_string(), field.to_string());
        Ok(())
    }

    fn phone(
        &self,
        value: &Option<Spanned<String>>,
        field: &str,
    ) -> Result<Option<String>, DistrictFileError> {
        let Some(v) = value else { return Ok(None) };
        let p = v.get_ref().trim();
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let allowed = p
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
        if !allowed || !(7..=15).contains(&digits) {
            return self.err(
                v.span(),
                field,
                "电话号码只能包含数字、空格和“-”，7 到 15 位数字",
            );
        }
        Ok(Some(p.to_string()))
    }

    fn sessions(
        &self,
        list: &[String],
        span: std::ops::Range<usize>,
        field: &str,
    ) -> Result<Vec<WeeklySession>, DistrictFileError> {
        list.iter()
            .enumerate()
            .map(|(i, s)| {
                WeeklySession::parse(s).or_else(|e| {
                    self.err(
                        span.clone(),
                        &format!("{field}[{}]", i + 1),
                        format!("“{s}”：{e}"),
                    )
                })
            })
            .collect()
    }

    fn services(
        &self,
        table: &Spanned<BTreeMap<Spanned<String>, Spanned<ServiceValue>>>,
        field: &str,
    ) -> Result<Vec<ServiceOffer>, DistrictFileError> {
        if table.get_ref().is_empty() {
            return self.err(table.span(), field, "至少要提供一项服务");
        }
        let mut offers = Vec::new();
        let mut seen = HashSet::new();
        for (key, value) in table.get_ref() {
            let sfield = format!("{field}.{}", key.get_ref());
            let Ok(service) = key.get_ref().parse::<ServiceCode>() else {
                let known: Vec<_> = ServiceCode::ALL.iter().map(|s| s.code()).collect();
                return self.err(
                    key.span(),
                    &sfield,
                    format!("未知的服务代码，可用：{}", known.join("、")),
                );
            };
            seen.insert(service);
            let sessions = match value.get_ref() {
                ServiceValue::Template(t) => {
                    let Some(name) = t.strip_prefix('@') else {
                        return self.err(value.span(), &sfield, "应为“@模板名”或时段列表");
                    };
                    match self.templates.get(name) {
                        Some(s) => s.clone(),
                        None => {
                            return self.err(
                                value.span(),
                                &sfield,
                                format!("没有名为“{name}”的时段模板（[templates]）"),
                            )
                        }
                    }
                }
                ServiceValue::Sessions(list) => self.sessions(list, value.span(), &sfield)?,
            };
            if service == ServiceCode::Mediation && !sessions.is_empty() {
                return self.err(
                    value.span(),
                    &sfield,
                    "人民调解按申请受理，不设预约时段，请写 mediation = []",
                );
            }
            offers.push(ServiceOffer { service, sessions });
        }
        offers.sort_by_key(|o| o.service.rank());
        Ok(offers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[district]
name = "测试区"
bureau = "测试区司法局"

[templates]
daily = ["mon-fri 09:00-11:30 30min x2"]

[[office]]
id = 1
name = "甲街道司法所"
area = "甲街道"
address = "甲路1号"
phone = "021-52000001"

[office.services]
legal_consultation = "@daily"
psychology = ["tue 13:30-16:30 60min x1", "fri 13:30-16:30 60min x1 youth"]
mediation = []

[[office.workroom]]
id = 101
name = "一号居民区法律服务工作室"
neighbourhood = "一号居民区"
address = "甲路100弄1号"

[office.workroom.services]
legal_consultation = ["wed 13:30-16:30 30min x1"]
mediation = []

[[office]]
id = 2
name = "乙镇司法所"
area = "乙镇"
address = "乙路2号"

[office.services]
legal_consultation = "@daily"
"#;

    #[test]
    fn loads_a_valid_file() {
        let d = parse_district(SMALL).unwrap();
        assert_eq!(d.name, "测试区");
        assert_eq!(d.offices().count(), 2);
        assert_eq!(d.workrooms().count(), 1);
        let ids: Vec<i64> = d.locations.iter().map(|l| l.id.0).collect();
        assert_eq!(
            ids,
            vec![1, 101, 2],
            "offices in file order, each followed by its workrooms"
        );
        let w = &d.locations[1];
        assert_eq!(w.office_id, Some(LocationId(1)));
        assert_eq!(w.area, "甲街道", "a workroom inherits its office's area");
        let o = &d.locations[0];
        assert_eq!(
            o.service_codes(),
            vec![
                ServiceCode::LegalConsultation,
                ServiceCode::Psychology,
                ServiceCode::Mediation
            ]
        );
        assert_eq!(
            o.offers(ServiceCode::LegalConsultation)
                .unwrap()
                .sessions
                .len(),
            1
        );
        assert!(o.offers(ServiceCode::Psychology).unwrap().sessions[1].youth_only);
        assert!(o
            .offers(ServiceCode::Mediation)
            .unwrap()
            .sessions
            .is_empty());
    }

    fn error_for(edit: impl Fn(&str) -> String) -> DistrictFileError {
        parse_district(&edit(SMALL)).expect_err("the edited file must be rejected")
    }

    fn line_containing(text: &str, needle: &str) -> usize {
        text.lines().position(|l| l.contains(needle)).unwrap() + 1
    }

    #[test]
    fn bad_session_names_line_and_field() {
        let text = SMALL.replace("wed 13:30-16:30 30min x1", "wed 13:30-16:30 40min x1");
        let e = parse_district(&text).unwrap_err();
        assert_eq!(e.line, Some(line_containing(&text, "40min")));
        assert_eq!(
            e.field,
            "office[1].workroom[1].services.legal_consultation[1]"
        );
        assert!(e.message.contains("40"), "{e}");
    }

    #[test]
    fn missing_field_is_named() {
        let e = error_for(|t| t.replace("address = \"甲路100弄1号\"\n", ""));
        assert_eq!(e.field, "address");
        assert!(e.message.contains("缺少"), "{e}");
        assert!(e.line.is_some());
    }

    #[test]
    fn unknown_field_is_named() {
        let text = SMALL.replace("address = \"乙路2号\"", "adress = \"乙路2号\"");
        let e = parse_district(&text).unwrap_err();
        assert_eq!(e.field, "adress");
        assert!(e.message.contains("不认识"), "{e}");
    }

    #[test]
    fn unknown_service_code_is_named() {
        let text = SMALL.replace("psychology = [", "psychologie = [");
        let e = parse_district(&text).unwrap_err();
        assert_eq!(e.field, "office[1].services.psychologie");
        assert_eq!(e.line, Some(line_containing(&text, "psychologie")));
    }

    #[test]
    fn duplicate_id_is_rejected() {
        let text = SMALL.replace("id = 101", "id = 2");
        let e = parse_district(&text).unwrap_err();
        // the second use is the one reported: office 2 comes after the workroom
        assert_eq!(e.field, "office[2].id");
        assert!(e.message.contains("office[1].workroom[1].id"), "{e}");
    }

    #[test]
    fn unknown_template_is_rejected() {
        let text = SMALL.replacen("\"@daily\"", "\"@dialy\"", 1);
        let e = parse_district(&text).unwrap_err();
        assert_eq!(e.field, "office[1].services.legal_consultation");
        assert!(e.message.contains("dialy"));
    }

    #[test]
    fn empty_name_and_bad_phone_are_rejected() {
        let e = error_for(|t| t.replace("name = \"乙镇司法所\"", "name = \"  \""));
        assert_eq!(e.field, "office[2].name");
        let e = error_for(|t| t.replace("021-52000001", "call us"));
        assert_eq!(e.field, "office[1].phone");
    }

    #[test]
    fn duplicate_names_and_mediation_slots_are_rejected() {
        let e = error_for(|t| t.replace("乙镇司法所", "甲街道司法所"));
        assert_eq!(e.field, "office[2].name");
        let e = error_for(|t| {
            t.replacen(
                "mediation = []",
                "mediation = [\"mon 09:00-10:00 30min x1\"]",
                1,
            )
        });
        assert_eq!(e.field, "office[1].services.mediation");
    }

    #[test]
    fn syntax_error_has_a_line() {
        let text = SMALL.replace("id = 2\n", "id = = 2\n");
        let e = parse_district(&text).unwrap_err();
        assert_eq!(e.line, Some(line_containing(&text, "id = = 2")));
        assert!(e.to_string().starts_with("第 "));
    }

    #[test]
    fn demo_district_file_is_valid() {
        let d = parse_district(include_str!("../../seed/demo-district.toml")).unwrap();
        assert_eq!(d.offices().count(), 14);
        assert_eq!(d.workrooms().count(), 263);
        // every workroom belongs to an office of the file
        let offices: HashSet<_> = d.offices().map(|o| o.id).collect();
        assert!(d
            .workrooms()
            .all(|w| offices.contains(&w.office_id.unwrap())));
        // consultation at every office every working day; reconsideration at all 14
        for o in d.offices() {
            let lc = o
                .offers(ServiceCode::LegalConsultation)
                .expect("consultation");
            for day in [chrono::Weekday::Mon, chrono::Weekday::Fri] {
                assert!(
                    lc.sessions.iter().any(|s| s.days.contains(day)),
                    "{}",
                    o.name
                );
            }
            assert!(
                o.offers(ServiceCode::AdminReconsideration).is_some(),
                "{}",
                o.name
            );
        }
        // each workroom's adviser: one half-day a week
        for w in d.workrooms() {
            let lc = w.offers(ServiceCode::LegalConsultation).expect("rota");
            assert_eq!(
                lc.sessions
                    .iter()
                    .map(|s| s.days.days().count())
                    .sum::<usize>(),
                1,
                "{}",
                w.name
            );
        }
        let psych: Vec<_> = d
            .locations
            .iter()
            .filter(|l| l.offers(ServiceCode::Psychology).is_some())
            .collect();
        assert_eq!(psych.len(), 1);
        assert!(psych[0].name.contains("江宁路"));
        let sessions = &psych[0].offers(ServiceCode::Psychology).unwrap().sessions;
        let days: HashSet<_> = sessions.iter().flat_map(|s| s.days.days()).collect();
        assert_eq!(days.len(), 2, "psychology room open two days a week");
        assert!(sessions
            .iter()
            .all(|s| s.youth_only == s.days.contains(chrono::Weekday::Fri)));
        let notary: Vec<_> = d
            .locations
            .iter()
            .filter(|l| l.offers(ServiceCode::Notary).is_some())
            .collect();
        assert_eq!(notary.len(), 1);
        assert!(notary[0].name.contains("临汾路"));
        assert_eq!(
            d.locations
                .iter()
                .filter(|l| l.offers(ServiceCode::IpMediation).is_some())
                .count(),
            6
        );
        assert!(d
            .locations
            .iter()
            .all(|l| l.offers(ServiceCode::Mediation).is_some()));
    }
}
