//! What the compare views read for one frame ([`Shared`]), and the small
//! helpers they have in common. The views import this module, never each
//! other or their parent.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::analysis::Scope;
use crate::app::jobs::{Jobs, Place};
use crate::app::tests_view::RowRef;
use crate::caveats::Catalog;
use crate::conformance_list::ConformanceLists;
use crate::model::Corpus;

/// Above this many tests in the releases involved, work runs on a
/// background thread (with a spinner) instead of within the frame.
pub const INLINE_TESTS: usize = 40_000;

/// Where to make a value from `tests` tests.
pub fn place_for(tests: usize) -> Place {
    if tests <= INLINE_TESTS {
        Place::Here
    } else {
        Place::Background
    }
}

/// The caveat catalog and scope the app explains results with.
#[derive(Clone, Copy, Debug)]
pub struct Caveats<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Which releases the profile is forced on for.
    pub scope: &'a Scope,
}

/// What the compare tabs read from the app for one frame.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The loaded data.
    pub corpus: &'a Arc<Corpus>,
    /// Changes with every load.
    pub generation: u64,
    /// The per-release figures, in corpus order (each with its assessment).
    pub infos: &'a [crate::app::verdict::ReleaseInfo],
    /// What those figures were made for: changes whenever they are remade.
    pub infos_key: crate::app::state::InfosKey,
    /// Selected releases, ascending.
    pub selection: &'a [usize],
    /// The catalog and scope, when the app has them.
    pub caveats: Option<Caveats<'a>>,
    /// The test in the detail pane.
    pub selected_test: Option<RowRef>,
    /// Runs the work that is too long for a frame.
    pub jobs: &'a Jobs,
}

/// The conformance lists as the views see them.
#[derive(Clone, Copy)]
pub struct Lists<'a> {
    /// The lists, when read.
    pub lists: Option<&'a Arc<ConformanceLists>>,
    /// Changes when other lists come into use.
    pub generation: u64,
}

/// Everything a compare view reads for one frame.
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    /// From the app.
    pub inputs: Inputs<'a>,
    /// The conformance lists.
    pub lists: Lists<'a>,
    /// Changes when the catalog or scope changes (the catalog revision).
    pub caveats_generation: u64,
}

/// A weak line under a view's toolbar saying how tests are matched.
pub fn lists_note(ui: &mut Ui, line: &str) {
    ui.label(RichText::new(line).small().weak())
        .on_hover_text("Set the folder in View › Conformance lists…");
}

/// The caveat category of a test in a release, as `title (id)`, when the
/// app has a catalog whose profile applies to the release.
pub fn category_of(
    caveats: Option<Caveats<'_>>,
    release: &crate::model::Release,
    test: &crate::model::TestCase,
) -> Option<String> {
    let c = caveats?;
    let applies = crate::analysis::profile_applies(release, c.catalog, c.scope);
    let id = crate::analysis::explain(test, c.catalog, applies).category?;
    Some(category_title(Some(c), &id))
}

/// The title of a category id, falling back to the id.
pub fn category_title(caveats: Option<Caveats<'_>>, id: &str) -> String {
    caveats
        .and_then(|c| c.catalog.category(id))
        .map(|cat| cat.title.clone())
        .unwrap_or_else(|| id.to_string())
}
