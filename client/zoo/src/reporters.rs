//! Terminal progress bars (indicatif) for the library's [`Reporter`] traits: one bar for the
//! operation's total and, for transfers, one per file in flight. Nothing is drawn unless
//! stderr is a terminal, so scripts and `--json` see no bars.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::{
	io::IsTerminal,
	sync::{Arc, Mutex},
};
use zoo_client::progress::{FileProgress, FileReporter, Reporter};

fn style(template: &str) -> ProgressStyle {
	ProgressStyle::with_template(template).expect("the templates are valid; qed").progress_chars("=> ")
}

/// Bars on stderr: a total per operation, and a bar per file being transferred.
pub(crate) struct Bars {
	multi: MultiProgress,
	total: Mutex<Option<ProgressBar>>,
}

impl Bars {
	/// Bars, or (without a terminal) the same calls drawing nothing.
	pub(crate) fn new() -> Self {
		let target = match std::io::stderr().is_terminal() {
			true => ProgressDrawTarget::stderr(),
			false => ProgressDrawTarget::hidden(),
		};
		Self { multi: MultiProgress::with_draw_target(target), total: Mutex::new(None) }
	}

	fn total(&self) -> Option<ProgressBar> {
		self.total.lock().expect("no thread panics holding the bar; qed").clone()
	}
}

impl Reporter for Bars {
	fn begin(&self, verb: &str, total: u64) {
		let bar = self.multi.add(ProgressBar::new(total));
		bar.set_style(style("{msg:>12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"));
		bar.set_message(verb.to_owned());
		*self.total.lock().expect("no thread panics holding the bar; qed") = Some(bar);
	}

	fn advance(&self, n: u64) {
		if let Some(total) = self.total() {
			total.inc(n);
		}
	}

	fn file(&self, name: &str, size: u64) -> FileProgress {
		let Some(total) = self.total() else { return FileProgress::silent() };
		if self.multi.is_hidden() {
			return FileProgress::new(Arc::new(FileBar { bar: ProgressBar::hidden(), total }));
		}
		let bar = self.multi.insert_before(&total, ProgressBar::new(size));
		bar.set_style(style("{msg:>12.dim} [{bar:30}] {bytes}/{total_bytes}"));
		let short: String = name.chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
		bar.set_message(short);
		FileProgress::new(Arc::new(FileBar { bar, total }))
	}

	fn end(&self) {
		if let Some(total) = self.total.lock().expect("no thread panics holding the bar; qed").take() {
			total.finish_and_clear();
		}
		let _ = self.multi.clear();
	}
}

/// One file's bar, which also moves the total.
struct FileBar {
	bar: ProgressBar,
	total: ProgressBar,
}

impl FileReporter for FileBar {
	fn advance(&self, n: u64) {
		self.bar.inc(n);
		self.total.inc(n);
	}

	fn reset(&self, position: u64) {
		let previous = self.bar.position();
		self.bar.set_position(position);
		self.total.set_position((self.total.position() + position).saturating_sub(previous));
	}

	fn done(&self) {
		self.bar.finish_and_clear();
	}
}
