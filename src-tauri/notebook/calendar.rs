//! Dates that come back every year: birthdays (solar, or lunar 农历 as most
//! Chinese owners keep them) and the holidays before which to call or send a
//! gift. Lunar dates are computed by `chinese-lunisolar-calendar` (tables
//! for 1901–2100), never typed in.

use chrono::{Datelike, NaiveDate};
use chinese_lunisolar_calendar::LunisolarDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Lang;
use crate::store::{Key, Record};
use crate::{i18n, Error, Result};

/// The owner's list of holidays, once edited (until then, the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminders {
    pub holidays: Vec<Holiday>,
}

impl Record for Reminders {
    const TREE: &'static str = "record:reminders";
    const VERSION: u32 = 1;
}

/// Where the one [`Reminders`] record is kept.
pub const REMINDERS: Key = Key::Item(1);

/// A month and day of the lunar calendar (a birthday, a holiday).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LunarDay {
    pub month: u8,
    pub day: u8,
}

impl LunarDay {
    /// `MM-DD`, the form the CLI takes: month 1–12, day 1–30.
    pub fn parse(text: &str) -> Result<LunarDay> {
        let bad = || Error::Refused(crate::msg!("refused.lunar_text", text = crate::import::table::quoted(text)));
        let (m, d) = text.trim().split_once('-').ok_or_else(bad)?;
        let day = LunarDay { month: m.parse().map_err(|_| bad())?, day: d.parse().map_err(|_| bad())? };
        day.check()?;
        Ok(day)
    }

    pub fn check(self) -> Result<()> {
        if (1..=12).contains(&self.month) && (1..=30).contains(&self.day) {
            Ok(())
        } else {
            Err(Error::Refused(crate::msg!("refused.lunar_day", month = self.month, day = self.day)))
        }
    }

    /// This day in lunar year `year` (the one that begins in solar year
    /// `year`), as a solar date. Day 30 of a month that has 29 days falls on
    /// its 29th; a leap month is never meant. `None` outside 1901–2100.
    pub fn in_lunar_year(self, year: i32) -> Option<NaiveDate> {
        let year = u16::try_from(year).ok()?;
        LunisolarDate::from_ymd(year, self.month, false, self.day)
            .or_else(|_| LunisolarDate::from_ymd(year, self.month, false, self.day.min(29)))
            .ok()
            .map(LunisolarDate::to_naive_date)
    }
}

/// A date that comes back every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "calendar", rename_all = "snake_case")]
pub enum Yearly {
    Solar { month: u32, day: u32 },
    Lunar { month: u8, day: u8 },
}

impl Yearly {
    /// Its dates falling in solar year `year` (a lunar date can fall in the
    /// same solar year twice, or not at all, near the turn of the year).
    pub fn dates_in(self, year: i32) -> Vec<NaiveDate> {
        match self {
            Yearly::Solar { month, day } => {
                // 29 February is kept on the 28th in other years.
                NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, month, day.min(28))).into_iter().collect()
            }
            Yearly::Lunar { month, day } => {
                let lunar = LunarDay { month, day };
                [year - 1, year].into_iter().filter_map(|y| lunar.in_lunar_year(y)).filter(|d| d.year() == year).collect()
            }
        }
    }

    /// The first date on or after `from`.
    pub fn next_on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        (from.year()..=from.year() + 1).flat_map(|y| self.dates_in(y)).filter(|d| *d >= from).min()
    }
}

/// A holiday before which the owner calls or sends a gift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Holiday {
    /// `new_year`, `spring_festival`, … for the defaults; the owner's own
    /// get `own_<n>`.
    pub key: String,
    /// The owner's own name for it (the defaults are named per language).
    #[serde(default)]
    pub name: String,
    pub date: Yearly,
    /// How many days ahead it shows in This week.
    pub notice_days: u32,
}

/// The holidays every owner starts with.
pub fn default_holidays() -> Vec<Holiday> {
    let h = |key: &str, date: Yearly, notice_days| Holiday { key: key.into(), name: String::new(), date, notice_days };
    vec![
        h("new_year", Yearly::Solar { month: 1, day: 1 }, 7),
        h("spring_festival", Yearly::Lunar { month: 1, day: 1 }, 14),
        h("lantern", Yearly::Lunar { month: 1, day: 15 }, 7),
        h("dragon_boat", Yearly::Lunar { month: 5, day: 5 }, 7),
        h("mid_autumn", Yearly::Lunar { month: 8, day: 15 }, 14),
        h("national_day", Yearly::Solar { month: 10, day: 1 }, 7),
    ]
}

/// The name shown for a holiday: the owner's own, else the catalog's.
pub fn holiday_name(h: &Holiday, lang: Lang) -> String {
    if h.name.trim().is_empty() {
        i18n::text(lang, &format!("holiday.{}", h.key))
    } else {
        h.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn holiday(key: &str) -> Yearly {
        default_holidays().into_iter().find(|h| h.key == key).unwrap().date
    }

    /// Published dates (State Council holiday notices; Hong Kong Observatory
    /// calendar tables) for 2025–2030.
    #[test]
    fn lunar_holidays_fall_on_the_published_dates_2025_to_2030() {
        let published: [(&str, [NaiveDate; 6]); 4] = [
            ("spring_festival", [d(2025, 1, 29), d(2026, 2, 17), d(2027, 2, 6), d(2028, 1, 26), d(2029, 2, 13), d(2030, 2, 3)]),
            ("lantern", [d(2025, 2, 12), d(2026, 3, 3), d(2027, 2, 20), d(2028, 2, 9), d(2029, 2, 27), d(2030, 2, 17)]),
            ("dragon_boat", [d(2025, 5, 31), d(2026, 6, 19), d(2027, 6, 9), d(2028, 5, 28), d(2029, 6, 16), d(2030, 6, 5)]),
            ("mid_autumn", [d(2025, 10, 6), d(2026, 9, 25), d(2027, 9, 15), d(2028, 10, 3), d(2029, 9, 22), d(2030, 9, 12)]),
        ];
        for (key, dates) in published {
            for (i, expected) in dates.into_iter().enumerate() {
                let year = 2025 + i as i32;
                assert_eq!(holiday(key).dates_in(year), vec![expected], "{key} {year}");
            }
        }
        assert_eq!(holiday("national_day").dates_in(2027), vec![d(2027, 10, 1)]);
    }

    #[test]
    fn lunar_birthdays_move_every_solar_year() {
        // Born on lunar 8-15: the Mid-Autumn dates.
        let b = Yearly::Lunar { month: 8, day: 15 };
        assert_eq!(b.next_on_or_after(d(2026, 1, 1)), Some(d(2026, 9, 25)));
        assert_eq!(b.next_on_or_after(d(2026, 9, 26)), Some(d(2027, 9, 15)));
        // Lunar 12-20 of lunar year 2025 falls in January 2026; that of
        // lunar 2026 in February 2027.
        let late = Yearly::Lunar { month: 12, day: 20 };
        assert_eq!(late.dates_in(2026).len(), 1);
        assert!(late.dates_in(2026)[0].month() == 2 || late.dates_in(2026)[0].month() == 1);
        // Day 30 of a 29-day month falls on the 29th.
        let thirty = LunarDay { month: 1, day: 30 };
        let (y29, y30) = (thirty.in_lunar_year(2025).unwrap(), LunarDay { month: 1, day: 29 }.in_lunar_year(2025).unwrap());
        assert!(y29 == y30 || y29 == y30.succ_opt().unwrap());
    }

    #[test]
    fn solar_birthdays_and_29_february() {
        let b = Yearly::Solar { month: 2, day: 29 };
        assert_eq!(b.dates_in(2027), vec![d(2027, 2, 28)]);
        assert_eq!(b.dates_in(2028), vec![d(2028, 2, 29)]);
        assert_eq!(Yearly::Solar { month: 12, day: 31 }.next_on_or_after(d(2026, 12, 31)), Some(d(2026, 12, 31)));
    }

    #[test]
    fn lunar_days_are_checked() {
        assert_eq!(LunarDay::parse("08-15").unwrap(), LunarDay { month: 8, day: 15 });
        for bad in ["13-01", "08-31", "00-10", "8/15", "x-1"] {
            assert!(LunarDay::parse(bad).is_err(), "{bad}");
        }
    }
}
