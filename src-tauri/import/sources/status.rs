//! Status columns: a row whose order, payment or invoice status says it is
//! no sale (closed, cancelled, refunded, failed, void, unpaid) is left out,
//! counted by reason with its amount. Words a status column may hold in
//! English and Chinese; everything else (paid, 交易成功, 正常, 已红冲, a partial
//! refund, a refund request that was closed) is a sale.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::mapping::normalize_header;

/// Why a row is not a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Closed orders (交易关闭, closed).
    Closed,
    /// Cancelled (取消, cancelled).
    Cancelled,
    /// Refunded in full (退款成功, refunded).
    Refunded,
    /// Failed payments (失败, failed, declined).
    Failed,
    /// Voided orders and invoices (作废, void).
    Voided,
    /// Never paid (等待买家付款, unpaid, an uncaptured payment).
    Unpaid,
}

impl Exclusion {
    pub const ALL: [Exclusion; 6] =
        [Exclusion::Closed, Exclusion::Cancelled, Exclusion::Refunded, Exclusion::Failed, Exclusion::Voided, Exclusion::Unpaid];

    /// The reason's name in `--json` (`excluded[].reason`).
    pub fn name(self) -> &'static str {
        match self {
            Exclusion::Closed => "closed",
            Exclusion::Cancelled => "cancelled",
            Exclusion::Refunded => "refunded",
            Exclusion::Failed => "failed",
            Exclusion::Voided => "voided",
            Exclusion::Unpaid => "unpaid",
        }
    }

    /// The reason as the window names its rows (`import.excluded.*`).
    pub fn label(self) -> crate::i18n::Msg {
        crate::i18n::Msg::new(&format!("import.excluded.{}", self.name()))
    }
}

/// Whether a header names a status column: 状态 / Status in it (订单状态,
/// 退款状态, 发票状态, Financial Status), or Stripe's `Captured`.
pub fn is_status_header(header: &str) -> bool {
    let h = normalize_header(header);
    h.contains("状态") || h.contains("status")
}

/// How a status column is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Only the words of an [`Exclusion`] leave a row out.
    Words,
    /// Only a paid status is a sale (Stripe): anything else is left out.
    PaidOnly,
    /// `true` is a sale (Stripe's `Captured`, read when the status is empty).
    Captured,
}

/// What a status value says of its row: `None` when it is a sale.
pub fn classify(value: &str, reading: Reading) -> Option<Exclusion> {
    let v = normalize_header(value);
    if v.is_empty() {
        return match reading {
            Reading::Words | Reading::Captured => None,
            Reading::PaidOnly => Some(Exclusion::Unpaid),
        };
    }
    match reading {
        Reading::Words => by_words(&v),
        Reading::PaidOnly => match v.as_str() {
            // `true`: Stripe's Captured, read where the status is empty.
            "paid" | "succeeded" | "success" | "captured" | "true" | "partiallyrefunded" | "partialrefund" => None,
            _ => Some(by_words(&v).unwrap_or(Exclusion::Unpaid)),
        },
        Reading::Captured => match v.as_str() {
            "true" | "yes" | "1" => None,
            _ => Some(Exclusion::Unpaid),
        },
    }
}

/// The exclusion the words of a (normalized) status say, if any.
fn by_words(v: &str) -> Option<Exclusion> {
    let has = |words: &[&str]| words.iter().any(|w| v.contains(w));
    // A partial refund, a refund that did not happen and a deal won leave a sale.
    if has(&["partial", "部分", "won", "成交", "completed", "已完成"]) {
        return None;
    }
    if v.contains("退款") {
        let none = has(&["无退款", "未退款", "没有退款", "退款关闭", "退款失败", "退款中", "申请退款", "退款撤销", "拒绝退款"]);
        return (!none).then_some(Exclusion::Refunded);
    }
    if v.contains("refund") {
        let none = has(&["norefund", "notrefunded", "refundfailed", "refundpending", "refundrequested", "refunddeclined"]);
        return (!none).then_some(Exclusion::Refunded);
    }
    if has(&["作废", "void"]) {
        return Some(Exclusion::Voided);
    }
    if has(&["取消", "cancel"]) {
        return Some(Exclusion::Cancelled);
    }
    if has(&["关闭", "closed"]) {
        return Some(Exclusion::Closed);
    }
    if has(&["失败", "fail", "declined"]) {
        return Some(Exclusion::Failed);
    }
    if has(&["等待买家付款", "待付款", "未付款", "unpaid", "awaitingpayment"]) {
        return Some(Exclusion::Unpaid);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_statuses_in_both_languages() {
        let cases = [
            ("交易关闭", Some(Exclusion::Closed)),
            ("等待买家付款", Some(Exclusion::Unpaid)),
            ("交易成功", None),
            ("卖家已发货，等待买家确认", None),
            ("买家已付款，等待卖家发货", None),
            ("已取消", Some(Exclusion::Cancelled)),
            ("退款成功", Some(Exclusion::Refunded)),
            ("已作废", Some(Exclusion::Voided)),
            ("正常", None),
            ("已红冲", None),
            ("部分红冲", None),
            ("支付失败", Some(Exclusion::Failed)),
            ("Closed", Some(Exclusion::Closed)),
            ("cancelled", Some(Exclusion::Cancelled)),
            ("Canceled", Some(Exclusion::Cancelled)),
            ("refunded", Some(Exclusion::Refunded)),
            ("voided", Some(Exclusion::Voided)),
            ("Failed", Some(Exclusion::Failed)),
            ("paid", None),
            ("pending", None),
            ("authorized", None),
            ("", None),
            ("Closed Won", None),
            ("Closed Lost", Some(Exclusion::Closed)),
            ("已完成", None),
        ];
        for (value, expected) in cases {
            assert_eq!(classify(value, Reading::Words), expected, "{value}");
        }
    }

    #[test]
    fn a_partial_or_refused_refund_leaves_a_sale() {
        for value in ["partially_refunded", "Partially refunded", "部分退款", "无退款", "退款关闭", "退款中", "no refund", "", "没有申请退款"] {
            assert_eq!(classify(value, Reading::Words), None, "{value}");
        }
    }

    #[test]
    fn only_paid_is_a_sale_when_the_source_says_so() {
        assert_eq!(classify("Paid", Reading::PaidOnly), None);
        assert_eq!(classify("succeeded", Reading::PaidOnly), None);
        assert_eq!(classify("Failed", Reading::PaidOnly), Some(Exclusion::Failed));
        assert_eq!(classify("Refunded", Reading::PaidOnly), Some(Exclusion::Refunded));
        assert_eq!(classify("Uncaptured", Reading::PaidOnly), Some(Exclusion::Unpaid));
        assert_eq!(classify("Canceled", Reading::PaidOnly), Some(Exclusion::Cancelled));
        assert_eq!(classify("true", Reading::Captured), None);
        assert_eq!(classify("false", Reading::Captured), Some(Exclusion::Unpaid));
    }

    #[test]
    fn status_headers() {
        for h in ["订单状态", "退款状态", "发票状态", "Status", "Financial Status"] {
            assert!(is_status_header(h), "{h}");
        }
        for h in ["订单编号", "Amount", "备注"] {
            assert!(!is_status_header(h), "{h}");
        }
    }
}
