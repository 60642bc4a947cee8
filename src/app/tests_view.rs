//! The Tests tab: a virtualised table of the required conformance tests (or
//! every spec) of the selected releases, with a search box, status and SIG
//! filters and sortable columns.
//!
//! The list of matching rows is recomputed only when the selection, the
//! filters, the sort or the loaded data change; a frame only draws the rows
//! in view.

use std::collections::{BTreeSet, HashMap};

use egui::{Id, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::commands::Command;
use super::jobs::{JobKind, Jobs, Slot};
use super::settings::TestFilters;
use super::style;
use super::verdict::ReleaseInfo;
use crate::caveats::Catalog;
use crate::model::{Corpus, Status, TestCase};

/// One row of the table: a test of a release, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RowRef {
    /// Index into `Corpus::releases`.
    pub release: usize,
    /// Index into that release's `tests`.
    pub test: usize,
}

/// The column the table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// Non-passing first (failed, skipped, pending, passed), then by name.
    #[default]
    Status,
    /// Alphabetical.
    Name,
    /// By SIG, then name.
    Sig,
    /// Longest first.
    Duration,
    /// Release order, then name.
    Release,
}

#[derive(Clone, Debug, PartialEq)]
struct RowsKey {
    /// What the required sets were made for (the data's generation first).
    generation: super::state::InfosKey,
    selection: Vec<usize>,
    filters: TestFilters,
    sort: SortBy,
    ascending: bool,
}

/// State of the Tests tab.
#[derive(Debug)]
pub struct TestsView {
    rows: Vec<RowRef>,
    key: Option<RowsKey>,
    sigs: Vec<String>,
    in_scope: usize,
    status_counts: [usize; 4],
    /// The sort column.
    pub sort: SortBy,
    /// Sort direction (for [`SortBy::Status`], ascending puts failures first).
    pub ascending: bool,
    /// Set to move keyboard focus into the search box on the next frame.
    pub focus_search: bool,
    /// Set to scroll the table to the selected row on the next frame.
    pub scroll_to_selected: bool,
    recomputes: u64,
    /// A rebuild running as a job (large selections only).
    pending: Slot<RowsKey, RowsResult>,
    /// Selections with more specs than this rebuild on a thread.
    pub background_rows: usize,
}

/// By default, selections with more specs than this are filtered and sorted
/// on a background thread, so typing in the search box never freezes a frame.
pub const BACKGROUND_ROWS: usize = 300_000;

/// What a rebuild produces.
#[derive(Debug, Default)]
struct RowsResult {
    rows: Vec<RowRef>,
    sigs: Vec<String>,
    in_scope: usize,
    status_counts: [usize; 4],
}

impl Default for TestsView {
    fn default() -> Self {
        TestsView {
            rows: Vec::new(),
            key: None,
            sigs: Vec::new(),
            in_scope: 0,
            status_counts: [0; 4],
            sort: SortBy::Status,
            ascending: true,
            focus_search: false,
            scroll_to_selected: false,
            recomputes: 0,
            pending: Slot::default(),
            background_rows: BACKGROUND_ROWS,
        }
    }
}

/// The required tests of release `r` by its assessment; none when its
/// figures are not made yet.
fn required_of(infos: &[super::verdict::ReleaseInfo], r: usize) -> &[u32] {
    infos
        .get(r)
        .map_or(&[][..], |i| i.assessment.required.tests.as_slice())
}

/// Filter and sort the rows of a selection (pure; runs inline or as a job).
/// `required[k]` are the required tests of release `selection[k]` (its
/// assessment's), the rows shown unless every spec is asked for.
fn compute_rows(
    corpus: &Corpus,
    selection: &[usize],
    required: &[&[u32]],
    filters: &TestFilters,
    sort: SortBy,
    ascending: bool,
) -> RowsResult {
    let mut out = RowsResult::default();
    let needle = filters.search.trim().to_lowercase();
    // Names are interned, so the same name in 100 releases is one
    // allocation: search and rank each distinct name once, by address.
    let mut names = NameTable::default();
    let mut sig_ptrs: HashMap<usize, &str, AddrHash> = HashMap::default();
    // (release, test, name id)
    let mut found: Vec<(usize, usize, u32)> = Vec::new();
    let mut in_set: Vec<bool> = Vec::new();
    for (k, &r) in selection.iter().enumerate() {
        let Some(release) = corpus.releases.get(r) else {
            continue;
        };
        in_set.clear();
        in_set.resize(release.tests.len(), false);
        for &i in required.get(k).copied().unwrap_or_default() {
            if let Some(slot) = in_set.get_mut(i as usize) {
                *slot = true;
            }
        }
        for (i, t) in release.tests.iter().enumerate() {
            if !(filters.all_specs || in_set[i]) {
                continue;
            }
            out.in_scope += 1;
            if let Some(sig) = &t.names.sig {
                sig_ptrs.entry(arc_addr(sig)).or_insert(sig);
            }
            if let Some(want) = &filters.sig
                && t.sig() != Some(want.as_str())
            {
                continue;
            }
            let (id, matches) = names.lookup(t.name(), &needle);
            if !matches {
                continue;
            }
            out.status_counts[status_index(t.status())] += 1;
            if filters.shows(t.status()) {
                found.push((r, i, id));
            }
        }
    }
    let sigs: BTreeSet<&str> = sig_ptrs.into_values().collect();
    out.sigs = sigs.into_iter().map(str::to_string).collect();
    let rank = names.ranks();
    let test = |r: usize, i: usize| -> &TestCase { &corpus.releases[r].tests[i] };
    // One integer key per row, computed once: sorting 700,000 rows by
    // comparing strings would take a good part of a second.
    let name_key =
        |r: usize, id: u32| (u64::from(rank[id as usize]) << 24) | (r as u64 & 0xFF_FFFF);
    let mut keyed: Vec<(u64, usize, usize)> = match sort {
        SortBy::Status => found
            .iter()
            .map(|&(r, i, id)| {
                let status = u64::from(test(r, i).status().attention_rank());
                ((status << 56) | name_key(r, id), r, i)
            })
            .collect(),
        SortBy::Name => found
            .iter()
            .map(|&(r, i, id)| (name_key(r, id), r, i))
            .collect(),
        SortBy::Sig => {
            let sig_rank: HashMap<&str, u64> = out
                .sigs
                .iter()
                .enumerate()
                .map(|(n, s)| (s.as_str(), n as u64 + 1))
                .collect();
            found
                .iter()
                .map(|&(r, i, id)| {
                    let sig = test(r, i)
                        .sig()
                        .and_then(|s| sig_rank.get(s).copied())
                        .unwrap_or(0);
                    ((sig.min(0xFF) << 56) | name_key(r, id), r, i)
                })
                .collect()
        }
        SortBy::Duration => {
            // Longest first: rank the durations, then invert.
            let mut by_time: Vec<(f64, u64, usize, usize)> = found
                .iter()
                .map(|&(r, i, id)| (test(r, i).duration_secs, name_key(r, id), r, i))
                .collect();
            by_time.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            by_time
                .into_iter()
                .enumerate()
                .map(|(n, (_, _, r, i))| (n as u64, r, i))
                .collect()
        }
        SortBy::Release => found
            .iter()
            .map(|&(r, i, id)| (((r as u64) << 40) | u64::from(rank[id as usize]), r, i))
            .collect(),
    };
    keyed.sort_by_key(|k| k.0);
    out.rows = keyed
        .into_iter()
        .map(|(_, release, test)| RowRef { release, test })
        .collect();
    if !ascending {
        out.rows.reverse();
    }
    out
}

/// The id of the search box, for focusing it from a shortcut.
pub fn search_id() -> Id {
    Id::unique("cv-test-search")
}

fn status_index(s: Status) -> usize {
    match s {
        Status::Passed => 0,
        Status::Failed => 1,
        Status::Skipped => 2,
        Status::Pending => 3,
    }
}

/// The address of a shared string, as an identity for interned names.
fn arc_addr(s: &std::sync::Arc<str>) -> usize {
    std::sync::Arc::as_ptr(s) as *const u8 as usize
}

/// A hasher for addresses (and lengths): they are already unique, only
/// spread them.
#[derive(Default)]
struct AddrHasher(u64);

impl std::hash::Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
}

type AddrHash = std::hash::BuildHasherDefault<AddrHasher>;

/// Distinct names met while filtering, with whether each matches the search.
#[derive(Default)]
struct NameTable<'a> {
    ids: HashMap<(usize, usize), u32, AddrHash>,
    names: Vec<&'a str>,
    matches: Vec<bool>,
}

impl<'a> NameTable<'a> {
    /// `name` is a shared name (it lives as long as the corpus), so its
    /// address and length identify it: two live strings at the same place
    /// with the same length hold the same text.
    fn lookup(&mut self, name: &'a str, needle: &str) -> (u32, bool) {
        let next = self.names.len() as u32;
        let at = (name.as_ptr() as usize, name.len());
        let id = *self.ids.entry(at).or_insert(next);
        if id == next {
            self.names.push(name);
            self.matches.push(contains_ci(name, needle));
        }
        (id, self.matches[id as usize])
    }

    /// The alphabetical rank of each name id (equal names share a rank).
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.names[a as usize].cmp(self.names[b as usize]));
        let mut rank = vec![0u32; self.names.len()];
        let mut current = 0u32;
        for (n, &id) in order.iter().enumerate() {
            if n > 0 && self.names[order[n - 1] as usize] != self.names[id as usize] {
                current += 1;
            }
            rank[id as usize] = current;
        }
        rank
    }
}

/// Case-insensitive `contains`, without allocating for ASCII needles.
/// `needle` must already be lowercase.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.is_ascii() {
        let n = needle.as_bytes();
        hay.as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

impl TestsView {
    /// The rows that pass the filters, in display order.
    pub fn rows(&self) -> &[RowRef] {
        &self.rows
    }

    /// How many times the row list was rebuilt (for tests and benchmarks).
    pub fn recomputes(&self) -> u64 {
        self.recomputes
    }

    /// Forget the cached rows (the data changed).
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// Whether a rebuild is running as a job.
    pub fn busy(&self) -> bool {
        self.pending.is_running()
    }

    /// Rebuild the rows when anything they depend on changed; cheap otherwise.
    /// Large selections are rebuilt by a job while the old rows stay on
    /// screen; the result is picked up by a later call.
    pub fn refresh(
        &mut self,
        corpus: &std::sync::Arc<Corpus>,
        (infos, generation): (&[super::verdict::ReleaseInfo], super::state::InfosKey),
        selection: &[usize],
        filters: &TestFilters,
        jobs: &Jobs,
    ) {
        if let Some((_, answer)) = self.pending.poll() {
            match answer {
                Ok(result) => self.apply(result),
                // The job failed: rebuild here rather than show stale rows.
                Err(_) => self.key = None,
            }
        }
        if let Some(key) = &self.key
            && key.generation == generation
            && key.selection == selection
            && key.filters == *filters
            && key.sort == self.sort
            && key.ascending == self.ascending
        {
            return;
        }
        let key = RowsKey {
            generation,
            selection: selection.to_vec(),
            filters: filters.clone(),
            sort: self.sort,
            ascending: self.ascending,
        };
        self.key = Some(key.clone());
        let size: usize = selection
            .iter()
            .filter_map(|&r| corpus.releases.get(r))
            .map(|r| r.tests.len())
            .sum();
        if size <= self.background_rows {
            // A newer request replaces any rebuild still running.
            self.pending.clear();
            let required: Vec<&[u32]> = selection.iter().map(|&r| required_of(infos, r)).collect();
            let result = compute_rows(
                corpus,
                selection,
                &required,
                filters,
                self.sort,
                self.ascending,
            );
            self.apply(result);
            return;
        }
        let shared = corpus.clone();
        let (sort, ascending) = (self.sort, self.ascending);
        let owned: Vec<Vec<u32>> = selection
            .iter()
            .map(|&r| required_of(infos, r).to_vec())
            .collect();
        self.pending
            .start(jobs, JobKind::Rows, key.clone(), move |_| {
                let required: Vec<&[u32]> = owned.iter().map(Vec::as_slice).collect();
                compute_rows(
                    &shared,
                    &key.selection,
                    &required,
                    &key.filters,
                    sort,
                    ascending,
                )
            });
    }

    fn apply(&mut self, result: RowsResult) {
        self.recomputes += 1;
        self.rows = result.rows;
        self.sigs = result.sigs;
        self.in_scope = result.in_scope;
        self.status_counts = result.status_counts;
    }

    /// The search box, the filters and the row count. The filters are
    /// edited on a copy; a change is asked for with [`Command::SetFilters`].
    pub fn toolbar(&mut self, ui: &mut Ui, current: &TestFilters, actions: &mut Vec<Command>) {
        let mut edited = current.clone();
        let filters = &mut edited;
        ui.horizontal_wrapped(|ui| {
            let search = egui::TextEdit::singleline(&mut filters.search)
                .id(search_id())
                .hint_text(format!(
                    "Search test names ({})",
                    Command::FocusSearch
                        .shortcut_text(ui.ctx())
                        .unwrap_or_default()
                ))
                .desired_width(300.0);
            let response = ui.add(search);
            if self.focus_search {
                response.request_focus();
                self.focus_search = false;
            }
            if !filters.search.is_empty()
                && ui
                    .small_button("×")
                    .on_hover_text(format!(
                        "{} ({})",
                        Command::ClearSearch.text(),
                        Command::ClearSearch
                            .shortcut_text(ui.ctx())
                            .unwrap_or_default()
                    ))
                    .clicked()
            {
                filters.search.clear();
            }
            ui.separator();
            for status in Status::ALL {
                let n = self.status_counts[status_index(status)];
                let color = style::status_color(ui, status);
                let text = RichText::new(format!("{} {n}", status.as_str())).color(color);
                ui.checkbox(filters.flag_mut(status), text);
            }
            ui.separator();
            let current = filters.sig.clone().unwrap_or_else(|| "all SIGs".to_string());
            let sig_label = ui.label("SIG");
            egui::ComboBox::from_id_salt("cv-sig-filter")
                .selected_text(current)
                .width(170.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filters.sig, None, "all SIGs");
                    for sig in &self.sigs {
                        ui.selectable_value(&mut filters.sig, Some(sig.clone()), sig);
                    }
                })
                .response
                .labelled_by(sig_label.id);
            ui.checkbox(&mut filters.all_specs, "show all specs")
                .on_hover_text(
                    "Also list specs that are not [Conformance] tests (they are outside the focus of a conformance run)",
                );
            ui.separator();
            let what = if filters.all_specs {
                "specs"
            } else {
                "required tests"
            };
            ui.add(
                egui::Label::new(
                    RichText::new(format!("{} of {}", self.rows.len(), self.in_scope)).weak(),
                )
                .wrap_mode(egui::TextWrapMode::Extend),
            )
                .on_hover_text(format!(
                    "{} rows shown of the {} {what} in the selected releases",
                    self.rows.len(),
                    self.in_scope
                ));
            if self.busy() {
                // The spinner also keeps frames coming until the rows arrive.
                ui.spinner();
                ui.label(RichText::new("filtering…").weak());
            }
        });
        if edited != *current {
            actions.push(Command::SetFilters(edited));
        }
    }

    /// The table of rows. Clicking a row asks for it to be shown in detail.
    /// `infos` and `catalog` give the caveat of each non-passing test.
    #[allow(clippy::too_many_arguments)]
    pub fn table(
        &mut self,
        ui: &mut Ui,
        corpus: &Corpus,
        infos: &[ReleaseInfo],
        catalog: &Catalog,
        selection: &[usize],
        selected: Option<RowRef>,
        actions: &mut Vec<Command>,
    ) {
        if selection.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(
                    RichText::new("Select a release on the left to see its tests.")
                        .size(16.0)
                        .weak(),
                );
            });
            return;
        }
        if self.rows.is_empty() {
            ui.add_space(24.0);
            ui.vertical_centered(|ui| {
                ui.label(
                    RichText::new("No test matches the filters.")
                        .size(16.0)
                        .weak(),
                );
                if ui.button("Clear the filters").clicked() {
                    actions.push(Command::ResetFilters);
                }
            });
            return;
        }
        let multi = selection.len() > 1;
        let cols = columns_for(ui.available_width(), multi);
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let scroll_to = if self.scroll_to_selected {
            self.scroll_to_selected = false;
            selected.and_then(|s| self.rows.iter().position(|r| *r == s))
        } else {
            None
        };
        ui.push_id("cv-tests-table", |ui| {
            ui.style_mut().interaction.selectable_labels = false;
            let mut table = TableBuilder::new(ui)
                .id_salt("cv-tests-table")
                .striped(true)
                .sense(egui::Sense::click())
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .auto_shrink([false, false]);
            for col in &cols {
                table = table.column(col.column());
            }
            if let Some(row) = scroll_to {
                table = table.scroll_to_row(row, Some(egui::Align::Center));
            }
            let mut new_sort = None;
            table
                .header(row_height, |mut header| {
                    for col in &cols {
                        header.col(|ui| match col.sort() {
                            Some(sort) => {
                                let active = self.sort == sort;
                                if ui
                                    .selectable_label(active, RichText::new(col.title()).strong())
                                    .on_hover_text("Sort by this column; click again to reverse")
                                    .clicked()
                                {
                                    new_sort = Some(sort);
                                }
                                if active {
                                    sort_arrow(ui, self.ascending);
                                }
                            }
                            None => {
                                ui.label(RichText::new(col.title()).strong());
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, self.rows.len(), |mut row| {
                        let r = self.rows[row.index()];
                        let release = &corpus.releases[r.release];
                        let t = &release.tests[r.test];
                        row.set_selected(selected == Some(r));
                        for col in &cols {
                            row.col(|ui| match col {
                                Col::Status => {
                                    ui.label(style::outcome_text(ui, t.outcome));
                                }
                                Col::Test => {
                                    ui.add(egui::Label::new(t.name()).truncate());
                                }
                                Col::Sig => {
                                    ui.label(t.sig().unwrap_or("—"));
                                }
                                Col::Tags => {
                                    ui.label(RichText::new(display_tags(t)).weak());
                                }
                                Col::Duration => {
                                    ui.label(style::duration(t.duration_secs));
                                }
                                Col::Release => {
                                    style::middle_label(ui, &release.label, RichText::new);
                                }
                                Col::Caveat => {
                                    caveat_cell(ui, infos.get(r.release), catalog, r.test);
                                }
                            });
                        }
                        if row.response().clicked() {
                            actions.push(Command::SelectTest(Some(r)));
                        }
                    });
                });
            if let Some(sort) = new_sort {
                if self.sort == sort {
                    self.ascending = !self.ascending;
                } else {
                    self.sort = sort;
                    self.ascending = true;
                }
            }
        });
    }
}

/// The columns that fit in `width`: the status and the name always, then,
/// while they fit at their narrowest, the run time, the release (when
/// several are selected), the caveat, the SIG and the tags, shown in table
/// order. A narrow table (the detail pane is open, a small window) drops the
/// least useful columns rather than overflow into the pane.
fn columns_for(width: f32, multi: bool) -> Vec<Col> {
    // Narrowest widths, a little spacing included.
    let mut left = width - (92.0 + 8.0) - (120.0 + 8.0);
    let mut wanted = vec![Col::Duration];
    if multi {
        wanted.push(Col::Release);
    }
    wanted.extend([Col::Caveat, Col::Sig, Col::Tags]);
    let mut chosen = vec![Col::Status, Col::Test];
    for col in wanted {
        let need = match col {
            Col::Duration => 78.0,
            Col::Release => 150.0,
            Col::Caveat => 170.0,
            Col::Sig => 130.0,
            Col::Tags => 150.0,
            Col::Status | Col::Test => 0.0,
        } + 8.0;
        // The SIG and the tags only where the names keep room to be read.
        let keep = if matches!(col, Col::Sig | Col::Tags) {
            200.0
        } else {
            0.0
        };
        if left >= need + keep {
            left -= need;
            chosen.push(col);
        }
    }
    let order = [
        Col::Status,
        Col::Test,
        Col::Sig,
        Col::Tags,
        Col::Duration,
        Col::Release,
        Col::Caveat,
    ];
    order.into_iter().filter(|c| chosen.contains(c)).collect()
}

/// The columns of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Status,
    Test,
    Sig,
    Tags,
    Duration,
    Release,
    Caveat,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Status => "Status",
            Col::Test => "Test",
            Col::Sig => "SIG",
            Col::Tags => "Tags",
            Col::Duration => "Duration",
            Col::Release => "Release",
            Col::Caveat => "Caveat",
        }
    }

    fn sort(self) -> Option<SortBy> {
        match self {
            Col::Status => Some(SortBy::Status),
            Col::Test => Some(SortBy::Name),
            Col::Sig => Some(SortBy::Sig),
            Col::Duration => Some(SortBy::Duration),
            Col::Release => Some(SortBy::Release),
            Col::Tags | Col::Caveat => None,
        }
    }

    fn column(self) -> Column {
        match self {
            Col::Status => Column::exact(92.0),
            Col::Test => Column::remainder().at_least(120.0).clip(true),
            Col::Sig => Column::initial(130.0)
                .at_least(60.0)
                .clip(true)
                .resizable(true),
            Col::Tags => Column::initial(150.0)
                .at_least(60.0)
                .clip(true)
                .resizable(true),
            Col::Duration => Column::exact(78.0),
            Col::Release => Column::initial(150.0)
                .at_least(60.0)
                .clip(true)
                .resizable(true),
            Col::Caveat => Column::initial(170.0)
                .at_least(60.0)
                .clip(true)
                .resizable(true),
        }
    }
}

/// The Caveat cell: the category title (the rule on hover), "unexplained"
/// for a non-passing required test no caveat explains, else a dash.
fn caveat_cell(ui: &mut Ui, info: Option<&ReleaseInfo>, catalog: &Catalog, test: usize) {
    let Some((info, e)) = info.and_then(|i| i.explanation(test).map(|e| (i, e))) else {
        ui.label(RichText::new("—").weak());
        return;
    };
    if let Some(d) = &e.known_defect {
        let mut hover = format!("Known defect, documented in {}", d.document);
        if let Some(f) = &d.fixed_in {
            hover.push_str(&format!("; fixed in {f}"));
        }
        ui.add(egui::Label::new(RichText::new("known defect").color(style::failed(ui))).truncate())
            .on_hover_text(hover);
        return;
    }
    match &e.category {
        Some(id) => {
            let title = catalog
                .category(id)
                .map_or(id.as_str(), |c| c.title.as_str());
            let hover = match (&e.rule, &e.reason) {
                (Some(rule), Some(reason)) => format!("Rule {rule}: {reason}"),
                (Some(rule), None) => format!("Rule {rule}"),
                _ => format!("Category {id}"),
            };
            ui.add(egui::Label::new(RichText::new(title).color(style::skipped(ui))).truncate())
                .on_hover_text(hover);
        }
        None if info.profile_applies => {
            let hover = e
                .note
                .clone()
                .unwrap_or_else(|| "No caveat category of the catalog matches this test.".into());
            ui.label(
                RichText::new("unexplained")
                    .color(style::failed(ui))
                    .strong(),
            )
            .on_hover_text(hover);
        }
        None => {
            ui.label(RichText::new("—").weak()).on_hover_text(
                "The caveat catalog does not apply to this release: its results count as they are.",
            );
        }
    }
}

/// The tags worth a column: not `Conformance` (implied), not the SIG (its own
/// column), not Ginkgo's `It` or the old `k8s.io` prefix.
pub fn display_tags(t: &TestCase) -> String {
    let mut out = String::new();
    for tag in t.tags() {
        if tag == "Conformance" || tag == "It" || tag == "k8s.io" || tag.starts_with("sig-") {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(tag);
    }
    out
}

/// A small triangle pointing up (ascending) or down, drawn with the painter:
/// egui's bundled fonts have no arrow glyphs.
fn sort_arrow(ui: &mut Ui, ascending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(9.0, 9.0), egui::Sense::hover());
    let c = rect.center();
    let (tip, base) = if ascending { (-3.5, 3.0) } else { (3.5, -3.0) };
    let points = vec![
        egui::pos2(c.x, c.y + tip),
        egui::pos2(c.x - 4.0, c.y + base),
        egui::pos2(c.x + 4.0, c.y + base),
    ];
    let color = ui.visuals().weak_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_the_width_they_are_given() {
        let narrowest = |cols: &[Col]| -> f32 {
            cols.iter()
                .map(|c| match c {
                    Col::Status => 92.0,
                    Col::Test => 120.0,
                    Col::Duration => 78.0,
                    Col::Caveat => 170.0,
                    Col::Release | Col::Tags => 150.0,
                    Col::Sig => 130.0,
                } + 8.0)
                .sum()
        };
        for width in [240.0, 300.0, 420.0, 560.0, 760.0, 1100.0] {
            for multi in [false, true] {
                let cols = columns_for(width, multi);
                assert_eq!(&cols[..2], &[Col::Status, Col::Test]);
                if cols.len() > 2 {
                    assert!(narrowest(&cols) <= width, "{width}: {cols:?}");
                }
            }
        }
        assert_eq!(columns_for(1300.0, true).len(), 7);
    }

    #[test]
    fn search_ignores_case() {
        assert!(contains_ci("[sig-node] Pods should RUN", "should run"));
        assert!(!contains_ci("[sig-node] Pods", "secrets"));
        assert!(contains_ci("Ünïcode Test", "ünïcode"));
        assert!(contains_ci("anything", ""));
    }
}
