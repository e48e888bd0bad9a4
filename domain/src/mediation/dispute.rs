//! Dispute types: the kinds of dispute the district's ledgers count.

use crate::ServiceCode;
use serde::{Deserialize, Serialize};

/// The kinds of dispute the district's ledgers count. Codes are an API contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeType {
    Neighbour,
    Family,
    /// 物业管理与业主委员会
    Property,
    /// 房屋装修、加装电梯
    Renovation,
    Labour,
    Consumer,
    Commercial,
    /// 知识产权: handled in the IP mediation rooms only.
    Ip,
    Other,
}

impl DisputeType {
    pub const ALL: [DisputeType; 9] = [
        DisputeType::Neighbour,
        DisputeType::Family,
        DisputeType::Property,
        DisputeType::Renovation,
        DisputeType::Labour,
        DisputeType::Consumer,
        DisputeType::Commercial,
        DisputeType::Ip,
        DisputeType::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            DisputeType::Neighbour => "neighbour",
            DisputeType::Family => "family",
            DisputeType::Property => "property",
            DisputeType::Renovation => "renovation",
            DisputeType::Labour => "labour",
            DisputeType::Consumer => "consumer",
            DisputeType::Commercial => "commercial",
            DisputeType::Ip => "ip",
            DisputeType::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            DisputeType::Neighbour => "邻里纠纷",
            DisputeType::Family => "婚姻家庭纠纷",
            DisputeType::Property => "物业管理和业主委员会纠纷",
            DisputeType::Renovation => "房屋装修、加装电梯纠纷",
            DisputeType::Labour => "劳动争议",
            DisputeType::Consumer => "消费纠纷",
            DisputeType::Commercial => "商事纠纷",
            DisputeType::Ip => "知识产权纠纷",
            DisputeType::Other => "其他纠纷",
        }
    }

    /// The dispute type in English, as the English pages name it.
    pub const fn label_en(self) -> &'static str {
        match self {
            DisputeType::Neighbour => "Between neighbours",
            DisputeType::Family => "Family or marriage",
            DisputeType::Property => "Property management or owners' committee",
            DisputeType::Renovation => "Renovation or lift installation",
            DisputeType::Labour => "Work and pay",
            DisputeType::Consumer => "Consumer",
            DisputeType::Commercial => "Business",
            DisputeType::Ip => "Intellectual property",
            DisputeType::Other => "Other",
        }
    }

    /// The service a place must offer to take this dispute.
    pub const fn service(self) -> ServiceCode {
        match self {
            DisputeType::Ip => ServiceCode::IpMediation,
            _ => ServiceCode::Mediation,
        }
    }
}
