//! The store's facts and the owner's preferences.

use super::{operations, window};
use crate::model::{Lang, StoreInfo, UiPrefs};

operations! {
    get_info() -> StoreInfo => |api| api.info();
    get_prefs() -> UiPrefs => |api| api.prefs();
    /// Saves the UI's language and relabels the menu.
    set_language(lang: Lang) -> UiPrefs => with window::set_language;
    set_currency(currency: String) -> UiPrefs => move |api| api.set_currency(&currency);
}
