//! Drawing a version DAG in the terminal, in the style of `git log --graph`.
//!
//! [`render`] takes rows ordered newest first (every version before its parents, see [`order`])
//! and returns lines with two characters per lane:
//!
//! - `*` the version itself, `|` another lane passing by;
//! - `\` a lane opening to the right (a merge's extra parents; lanes further right shift over);
//!   a merge of three or more parents draws its extra lanes as `*-.`, `*---.`, ... first;
//! - `/` a lane moving left: two lanes waiting for the same version join the leftmost one, and
//!   lanes right of a lane that ends shift over; a lane joining from further away runs along
//!   `_` (`|_|/`).
//!
//! Each version's text follows its `*` line after the lanes and one space; further lines of a
//! multi-line text go on the lines drawn below it. Parents that are not among the rows (versions
//! of another model, say) are not drawn.

use std::{cmp::Reverse, collections::HashMap};
use zoo_primitives::VersionId;

/// One version to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphRow {
	/// The version.
	pub id: VersionId,
	/// Its parents, the main line first; those not among the rows are not drawn.
	pub parents: Vec<VersionId>,
	/// What to print beside it.
	pub text: String,
}

/// A version with what [`order`] sorts it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DagNode {
	/// The version.
	pub id: VersionId,
	/// Its parents, the main line first.
	pub parents: Vec<VersionId>,
	/// One more than its highest parent's generation (0 for a root): strictly grows from parent
	/// to child.
	pub generation: u32,
	/// Order of recording (e.g. the version's index within its model): later is higher.
	pub index: u32,
}

impl DagNode {
	/// The row to draw for this version.
	pub fn row(&self, text: impl Into<String>) -> GraphRow {
		GraphRow { id: self.id, parents: self.parents.clone(), text: text.into() }
	}
}

/// Sort versions newest first: by generation, then index, both descending.
///
/// Since a child's generation is above each parent's, every version comes before its parents,
/// which is the order [`render`] needs. Versions equal in both keep their input order.
pub fn order(nodes: impl IntoIterator<Item = DagNode>) -> Vec<DagNode> {
	let mut nodes: Vec<DagNode> = nodes.into_iter().collect();
	nodes.sort_by_key(|node| Reverse((node.generation, node.index)));
	nodes
}

/// One line of graph characters, two per lane, being drawn.
struct Canvas(Vec<u8>);

impl Canvas {
	fn new() -> Self {
		Self(Vec::new())
	}

	fn put(&mut self, at: usize, glyph: u8) {
		if self.0.len() <= at {
			self.0.resize(at + 1, b' ');
		}
		self.0[at] = glyph;
	}

	/// `|` in each of the lanes `0..lanes`.
	fn straight(lanes: usize) -> Self {
		let mut canvas = Self::new();
		for lane in 0..lanes {
			canvas.put(2 * lane, b'|');
		}
		canvas
	}

	/// The line, with `text` from character `2 * width` (when there is text).
	fn finish(mut self, width: usize, text: &str) -> String {
		if !text.is_empty() {
			self.0.resize(self.0.len().max(2 * width), b' ');
		}
		let mut line = String::from_utf8(self.0).expect("only ASCII glyphs are drawn; qed");
		line.push_str(text);
		line.truncate(line.trim_end().len());
		line
	}
}

/// Draw `rows` (newest first, every version before its parents) as a graph, one string per line.
///
/// A parent is drawn when it is one of the later rows; parents not among the rows, listed twice
/// or (against the required order) among the earlier rows are left out, so any input draws
/// without panicking.
pub fn render(rows: &[GraphRow]) -> Vec<String> {
	let last_row: HashMap<VersionId, usize> = rows.iter().enumerate().map(|(at, row)| (row.id, at)).collect();
	// The version each lane is waiting for; no two lanes wait for the same one between rows.
	let mut lanes: Vec<VersionId> = Vec::new();
	let mut out = Vec::new();
	for (at, row) in rows.iter().enumerate() {
		let mut parents: Vec<VersionId> = Vec::with_capacity(row.parents.len());
		for parent in &row.parents {
			if last_row.get(parent).is_some_and(|&later| later > at) && !parents.contains(parent) {
				parents.push(*parent);
			}
		}
		let col = match lanes.iter().position(|lane| *lane == row.id) {
			Some(col) => col,
			None => {
				lanes.push(row.id);
				lanes.len() - 1
			}
		};
		let extra = parents.len().saturating_sub(1);
		let right = lanes.len() - col - 1;
		let width = lanes.len() + extra;

		// An octopus merge opens its extra lanes along `-` on its own line, so lanes to its right
		// first move out of the way, one column per line.
		if extra >= 2 && right > 0 {
			for step in 1..extra {
				let mut canvas = Canvas::straight(col + 1);
				for lane in 0..right {
					canvas.put(2 * (col + step + lane) + 1, b'\\');
				}
				out.push(canvas.finish(0, ""));
			}
		}

		let mut node = Canvas::straight(col);
		node.put(2 * col, b'*');
		if extra >= 2 {
			for at in 2 * col + 1..2 * (col + extra - 1) {
				node.put(at, b'-');
			}
			node.put(2 * (col + extra - 1), b'.');
		}
		for lane in col + 1..lanes.len() {
			node.put(2 * (lane + extra.saturating_sub(1)), b'|');
		}

		// The lines below the node line, before the next row.
		let mut below: Vec<Canvas> = Vec::new();
		if extra >= 1 {
			let mut canvas = Canvas::straight(col + 1);
			for lane in col..col + extra + right {
				canvas.put(2 * lane + 1, b'\\');
			}
			below.push(canvas);
		}
		match parents.split_first() {
			Some((first, others)) => {
				lanes[col] = *first;
				lanes.splice(col + 1..col + 1, others.iter().copied());
			}
			None => {
				lanes.remove(col);
				if right > 0 {
					let mut canvas = Canvas::straight(col);
					for lane in col + 1..=col + right {
						canvas.put(2 * lane - 1, b'/');
					}
					below.push(canvas);
				}
			}
		}
		// Lanes waiting for the same version join the leftmost of them, the rightmost first.
		while let Some(from) = (1..lanes.len()).rev().find(|&lane| lanes[..lane].contains(&lanes[lane])) {
			let into = lanes.iter().position(|lane| *lane == lanes[from]).expect("found to the left; qed");
			let mut canvas = Canvas::straight(from);
			for lane in into..from - 1 {
				canvas.put(2 * lane + 1, b'_');
			}
			canvas.put(2 * from - 1, b'/');
			for lane in from + 1..lanes.len() {
				canvas.put(2 * lane - 1, b'/');
			}
			lanes.remove(from);
			below.push(canvas);
		}

		let mut text = row.text.lines();
		out.push(node.finish(width, text.next().unwrap_or("")));
		for canvas in below {
			out.push(canvas.finish(width, text.next().unwrap_or("")));
		}
		for line in text {
			out.push(Canvas::straight(lanes.len()).finish(width, line));
		}
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::collections::{BTreeMap, BTreeSet};

	fn id(n: u32) -> VersionId {
		let mut bytes = [0u8; 32];
		bytes[..4].copy_from_slice(&n.to_be_bytes());
		VersionId(bytes)
	}

	/// Rows `(n, parents)` with texts `c{n}`.
	fn rows(spec: &[(u32, &[u32])]) -> Vec<GraphRow> {
		spec.iter()
			.map(|(n, parents)| GraphRow {
				id: id(*n),
				parents: parents.iter().map(|p| id(*p)).collect(),
				text: format!("c{n}"),
			})
			.collect()
	}

	fn drawn(spec: &[(u32, &[u32])]) -> Vec<String> {
		let rows = rows(spec);
		let lines = render(&rows);
		check_edges(&rows, &lines);
		lines
	}

	/// Where a glyph's stroke leaves the line above (its top) and enters the line below (its
	/// bottom), as character positions.
	fn top(glyph: u8, at: usize) -> Option<usize> {
		match glyph {
			b'|' | b'*' => Some(at),
			b'/' => Some(at + 1),
			b'\\' => at.checked_sub(1),
			_ => None,
		}
	}

	/// Follow the strokes down from every `*` and check that they reach exactly the version's
	/// drawn parents, and that no stroke ends in the middle of nowhere.
	fn check_edges(rows: &[GraphRow], lines: &[String]) {
		// The graph part of each line: texts in these tests start with a letter.
		let graphs: Vec<&[u8]> = lines
			.iter()
			.map(|line| {
				let end = line.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(line.len());
				&line.as_bytes()[..end]
			})
			.collect();
		let node_lines: Vec<usize> = (0..lines.len()).filter(|&l| graphs[l].contains(&b'*')).collect();
		assert_eq!(node_lines.len(), rows.len(), "one `*` line per row:\n{}", lines.join("\n"));
		let row_of_line: BTreeMap<usize, usize> = node_lines.iter().enumerate().map(|(r, l)| (*l, r)).collect();
		let positions: BTreeMap<VersionId, usize> = rows.iter().enumerate().map(|(at, row)| (row.id, at)).collect();
		for (r, &l) in node_lines.iter().enumerate() {
			let graph = graphs[l];
			assert_eq!(graph.iter().filter(|g| **g == b'*').count(), 1, "line {l}");
			assert!(lines[l].contains(rows[r].text.lines().next().unwrap_or("")), "line {l}");
			let star = graph.iter().position(|g| *g == b'*').unwrap();
			// The bottoms of the `*` (and of an octopus' `-.` run).
			let mut reach: BTreeSet<usize> = BTreeSet::from([star]);
			let mut at = star + 1;
			while at < graph.len() && (graph[at] == b'-' || graph[at] == b'.') {
				if (at - star) % 2 == 0 {
					reach.insert(at);
				}
				at += 1;
			}
			let expected: BTreeSet<usize> =
				rows[r].parents.iter().filter_map(|p| positions.get(p).copied()).filter(|&p| p > r).collect();
			if expected.is_empty() {
				reach.clear();
			}
			let mut reached = BTreeSet::new();
			for below in l + 1..lines.len() {
				if reach.is_empty() {
					break;
				}
				let graph = graphs[below];
				let mut next = BTreeSet::new();
				let mut used = BTreeSet::new();
				for (at, glyph) in graph.iter().enumerate() {
					let Some(from) = top(*glyph, at) else { continue };
					if !reach.contains(&from) {
						continue;
					}
					used.insert(from);
					match glyph {
						b'*' => {
							reached.insert(row_of_line[&below]);
						}
						b'|' => {
							next.insert(at);
						}
						b'\\' => {
							next.insert(at + 1);
						}
						b'/' => {
							let mut bottom = at - 1;
							while bottom >= 1 && graph[bottom - 1] == b'_' {
								bottom -= 2;
							}
							next.insert(bottom);
						}
						_ => unreachable!(),
					}
				}
				assert_eq!(used, reach, "a stroke from line {l} ends at line {below}:\n{}", lines.join("\n"));
				reach = next;
			}
			assert!(reach.is_empty(), "strokes from line {l} run past the end:\n{}", lines.join("\n"));
			assert_eq!(reached, expected, "parents of row {r}:\n{}", lines.join("\n"));
		}
		for line in lines {
			assert_eq!(line.trim_end(), line, "trailing spaces");
		}
	}

	#[test]
	fn linear_chain() {
		assert_eq!(drawn(&[(3, &[2]), (2, &[1]), (1, &[])]), ["* c3", "* c2", "* c1"]);
	}

	#[test]
	fn branch_and_merge() {
		assert_eq!(
			drawn(&[(4, &[3, 2]), (3, &[1]), (2, &[1]), (1, &[])]),
			["*   c4", "|\\", "* | c3", "| * c2", "|/", "* c1"]
		);
	}

	#[test]
	fn branch_and_merge_with_text() {
		let mut rows = rows(&[(4, &[3, 2]), (3, &[1]), (2, &[1]), (1, &[])]);
		for row in &mut rows {
			row.text = format!("{} text", row.text);
		}
		assert_eq!(render(&rows), ["*   c4 text", "|\\", "* | c3 text", "| * c2 text", "|/", "* c1 text"]);
	}

	#[test]
	fn octopus_merge() {
		assert_eq!(
			drawn(&[(5, &[4, 3, 2]), (4, &[1]), (3, &[1]), (2, &[1]), (1, &[])]),
			["*-.   c5", "|\\ \\", "* | | c4", "| * | c3", "|/ /", "| * c2", "|/", "* c1"]
		);
	}

	#[test]
	fn octopus_merge_with_a_lane_to_its_right() {
		// c7 leaves c5's lane right of c6, which moves out of the way of c6's four parents.
		assert_eq!(
			drawn(&[(7, &[6, 5]), (6, &[4, 3, 2, 1]), (5, &[1]), (4, &[1]), (3, &[1]), (2, &[1]), (1, &[])]),
			[
				"*   c7",
				"|\\",
				"|  \\",
				"|    \\",
				"*---. |   c6",
				"|\\ \\ \\ \\",
				"| | | | * c5",
				"| | | |/",
				"* | | | c4",
				"|_|_|/",
				"| * | c3",
				"|/ /",
				"| * c2",
				"|/",
				"* c1",
			]
		);
	}

	#[test]
	fn two_independent_roots() {
		assert_eq!(drawn(&[(4, &[2]), (3, &[1]), (2, &[]), (1, &[])]), ["* c4", "| * c3", "* | c2", " /", "* c1"]);
	}

	#[test]
	fn criss_cross_merges() {
		// c5 and c4 both merge c3 and c2, in opposite orders.
		assert_eq!(
			drawn(&[(6, &[5, 4]), (5, &[3, 2]), (4, &[2, 3]), (3, &[1]), (2, &[1]), (1, &[])]),
			[
				"*   c6",
				"|\\",
				"* |   c5",
				"|\\ \\",
				"| | *   c4",
				"| | |\\",
				"|_|_|/",
				"| |/",
				"* | c3",
				"| * c2",
				"|/",
				"* c1",
			]
		);
	}

	#[test]
	fn lane_converging_from_two_columns_away() {
		assert_eq!(
			drawn(&[(5, &[1]), (4, &[2]), (3, &[1]), (2, &[1]), (1, &[])]),
			["* c5", "| * c4", "| | * c3", "|_|/", "| * c2", "|/", "* c1"]
		);
	}

	#[test]
	fn parents_outside_the_rows_are_not_drawn() {
		// 9 is another model's version; 8 is listed but never drawn.
		assert_eq!(drawn(&[(3, &[2, 9]), (2, &[9, 1, 1]), (1, &[8])]), ["* c3", "* c2", "* c1"]);
	}

	#[test]
	fn parents_drawn_earlier_are_not_drawn_again() {
		// Out of order: 2 lists 3, which came before it.
		assert_eq!(drawn(&[(3, &[1]), (2, &[3, 1]), (1, &[])]), ["* c3", "| * c2", "|/", "* c1"]);
	}

	#[test]
	fn multi_line_text_continues_on_the_lines_below() {
		let mut rows = rows(&[(4, &[3, 2]), (3, &[1]), (2, &[1]), (1, &[])]);
		rows[0].text = "c4\nmerge".into();
		rows[2].text = "c2\nbranch\nmore".into();
		rows[3].text = "c1\nroot".into();
		assert_eq!(
			render(&rows),
			["*   c4", "|\\  merge", "* | c3", "| * c2", "|/  branch", "|   more", "* c1", "  root"]
		);
	}

	#[test]
	fn nothing_to_draw() {
		assert!(render(&[]).is_empty());
	}

	#[test]
	fn order_is_newest_first() {
		let node = |n: u32, parents: &[u32], generation: u32, index: u32| DagNode {
			id: id(n),
			parents: parents.iter().map(|p| id(*p)).collect(),
			generation,
			index,
		};
		let nodes = vec![
			node(1, &[], 0, 0),
			node(4, &[3, 2], 2, 3),
			node(2, &[1], 1, 1),
			node(3, &[1], 1, 2),
			node(5, &[], 0, 4),
		];
		let sorted = order(nodes);
		let ids: Vec<VersionId> = sorted.iter().map(|n| n.id).collect();
		assert_eq!(ids, [id(4), id(3), id(2), id(5), id(1)]);
		let rows: Vec<GraphRow> = sorted.iter().map(|n| n.row(format!("v{}", n.index))).collect();
		assert_eq!(rows[0].parents, [id(3), id(2)]);
		check_edges(&rows, &render(&rows));
	}

	/// xorshift64*: enough randomness for shapes, no dependency.
	struct Rng(u64);

	impl Rng {
		fn next(&mut self) -> u64 {
			self.0 ^= self.0 >> 12;
			self.0 ^= self.0 << 25;
			self.0 ^= self.0 >> 27;
			self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
		}

		fn below(&mut self, n: u64) -> u64 {
			self.next() % n
		}
	}

	#[test]
	fn random_dags_draw_every_edge() {
		let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
		for _ in 0..400 {
			let count = 1 + rng.below(30) as u32;
			// Version n's parents are older versions (or outside ones, 1000+).
			let mut spec: Vec<(u32, Vec<u32>)> = Vec::new();
			for n in 0..count {
				let mut parents = Vec::new();
				let wanted = match rng.below(10) {
					0 => 0,
					1..=6 => 1,
					7 | 8 => 2,
					_ => 1 + rng.below(5),
				};
				for _ in 0..wanted {
					if n > 0 && rng.below(8) != 0 {
						// Mostly recent parents, sometimes far back.
						let back =
							if rng.below(3) == 0 { rng.below(u64::from(n)) } else { rng.below(3.min(u64::from(n))) };
						parents.push(n - 1 - back as u32);
					} else {
						parents.push(1000 + rng.below(5) as u32);
					}
				}
				spec.push((n, parents));
			}
			spec.reverse();
			let spec: Vec<(u32, &[u32])> = spec.iter().map(|(n, p)| (*n, &p[..])).collect();
			let rows = rows(&spec);
			let lines = render(&rows);
			check_edges(&rows, &lines);
			for row in &rows {
				let shown = lines.iter().filter(|line| line.ends_with(&format!(" {}", row.text))).count();
				assert_eq!(shown, 1, "{}:\n{}", row.text, lines.join("\n"));
			}
		}
	}
}
