//! Bounded walks over the version graph.
//!
//! Every walk reads each node at most once and counts what it reads (nodes, and child links
//! when it walks down) against its limit; a walk that would read more stops (`ancestors`,
//! `descendants`: the answer says it is incomplete) or fails with [`QueryError::LimitReached`]
//! (`is_ancestor`, `merge_base`). Generation
//! numbers grow strictly along every edge, so walks visit nodes in generation order and prune
//! what cannot matter (git's commit-graph technique).

use crate::*;
use alloc::{
	collections::{BTreeMap, BTreeSet, BinaryHeap},
	vec::Vec,
};
use zoo_primitives::VersionId;

/// Nodes read from storage, each at most once, with a count of the reads.
struct Reader<T> {
	cache: BTreeMap<VersionId, Node>,
	reads: u32,
	limit: u32,
	_config: core::marker::PhantomData<T>,
}

impl<T: Config> Reader<T> {
	fn new(limit: u32) -> Self {
		Self { cache: BTreeMap::new(), reads: 0, limit, _config: Default::default() }
	}

	/// Read `id` (once); `LimitReached` if that would exceed the limit.
	fn load(&mut self, id: VersionId) -> Result<&Node, QueryError> {
		if !self.cache.contains_key(&id) {
			if self.reads >= self.limit {
				return Err(QueryError::LimitReached);
			}
			self.reads = self.reads.saturating_add(1);
			let node = Nodes::<T>::get(id).ok_or(QueryError::UnknownVersion)?;
			self.cache.insert(id, node);
		}
		self.cache.get(&id).ok_or(QueryError::UnknownVersion)
	}

	fn take(&mut self, id: &VersionId) -> Option<Node> {
		self.cache.remove(id)
	}
}

fn graph_node(id: VersionId, node: Node) -> GraphNode {
	GraphNode { id, model: node.model, generation: node.generation, parents: node.parents }
}

/// Which way a walk goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
	/// To parents: nearest (highest generation) first.
	Ancestors,
	/// To children: nearest (lowest generation) first.
	Descendants,
}

impl<T: Config> Pallet<T> {
	/// The ancestors of `id` (not `id` itself), nearest first: by generation descending, so
	/// every version comes before its parents. Reads at most `limit` storage entries.
	pub fn walk_ancestors(id: VersionId, limit: u32) -> Result<Walk, QueryError> {
		Self::walk(id, limit, Direction::Ancestors)
	}

	/// The descendants of `id` (not `id` itself), nearest first: by generation ascending, so
	/// every version comes after its parents. Reads at most `limit` storage entries.
	pub fn walk_descendants(id: VersionId, limit: u32) -> Result<Walk, QueryError> {
		Self::walk(id, limit, Direction::Descendants)
	}

	/// Walk from `start`, always visiting the queued node nearest to it (by generation) next,
	/// and reading at most `limit` storage entries: every node, and for descendants every
	/// child link, counts, so a version with a million children costs a walk no more than
	/// its limit. When the budget runs out the walk stops with `complete: false`; the nodes
	/// found so far are still in walk order, since every node not yet visited is farther.
	fn walk(start: VersionId, limit: u32, direction: Direction) -> Result<Walk, QueryError> {
		let mut budget = limit;
		let mut spend = move || budget.checked_sub(1).map(|left| budget = left).is_some();
		if !spend() {
			return Ok(Walk { nodes: Vec::new(), complete: false });
		}
		let first = Nodes::<T>::get(start).ok_or(QueryError::UnknownVersion)?;
		let priority = |generation: u32| match direction {
			Direction::Ancestors => i64::from(generation),
			Direction::Descendants => -i64::from(generation),
		};
		let mut seen = BTreeSet::from([start]);
		let mut queued = BTreeMap::new();
		let mut queue = BinaryHeap::new();
		let mut nodes = Vec::new();
		let mut current = Some((start, first));
		let mut cut_off = false;
		while let Some((id, node)) = current.take() {
			let neighbours = match direction {
				Direction::Ancestors => node.parents.len() as u32,
				Direction::Descendants => node.child_count,
			};
			for index in 0..neighbours {
				let next = match direction {
					Direction::Ancestors => node.parents.get(index as usize).map(|parent| parent.id),
					Direction::Descendants if spend() => Children::<T>::get(id, index).map(|child| child.id),
					Direction::Descendants => {
						cut_off = true;
						break;
					}
				};
				let Some(next) = next else { continue };
				if seen.insert(next) {
					if !spend() {
						cut_off = true;
						break;
					}
					if let Some(next_node) = Nodes::<T>::get(next) {
						queue.push((priority(next_node.generation), next));
						queued.insert(next, next_node);
					}
				}
			}
			// A node cut off mid-expansion is in walk order too: what it did not reach is
			// farther.
			if id != start {
				nodes.push(graph_node(id, node));
			}
			if cut_off {
				break;
			}
			current = queue.pop().and_then(|(_, next)| queued.remove(&next).map(|node| (next, node)));
		}
		Ok(Walk { nodes, complete: !cut_off && queue.is_empty() })
	}

	/// Whether `ancestor` is `descendant` or one of its ancestors, reading at most `limit`
	/// nodes. Returns the answer and the number of nodes read.
	pub fn walk_is_ancestor(ancestor: VersionId, descendant: VersionId, limit: u32) -> Result<(bool, u32), QueryError> {
		let mut reader = Reader::<T>::new(limit);
		let floor = reader.load(ancestor)?.generation;
		if ancestor == descendant {
			return Ok((true, reader.reads));
		}
		let top = reader.load(descendant)?.generation;
		if top <= floor {
			return Ok((false, reader.reads));
		}
		let mut seen = BTreeSet::from([descendant]);
		let mut queue = BinaryHeap::from([(top, descendant)]);
		while let Some((_, next)) = queue.pop() {
			let Some(node) = reader.take(&next) else { continue };
			for parent in node.parents.iter() {
				if parent.id == ancestor {
					return Ok((true, reader.reads));
				}
				if seen.insert(parent.id) {
					let generation = reader.load(parent.id)?.generation;
					// Nothing at or below the ancestor's generation can descend from it.
					if generation > floor {
						queue.push((generation, parent.id));
					} else {
						reader.take(&parent.id);
					}
				}
			}
		}
		Ok((false, reader.reads))
	}

	/// The best common ancestors of `a` and `b` (a version counts as its own ancestor): the
	/// common ancestors that are not ancestors of another common ancestor. Empty when the two
	/// share no history; several after criss-cross merges. Reads at most `limit` nodes.
	pub fn walk_merge_base(a: VersionId, b: VersionId, limit: u32) -> Result<Vec<VersionId>, QueryError> {
		const FROM_A: u8 = 1;
		const FROM_B: u8 = 2;
		const BOTH: u8 = FROM_A | FROM_B;
		// Reached through a common ancestor already found: its ancestors are not "best".
		const STALE: u8 = 4;
		const DONE: u8 = 8;

		let mut reader = Reader::<T>::new(limit);
		let generation_a = reader.load(a)?.generation;
		let generation_b = reader.load(b)?.generation;
		if a == b {
			return Ok(alloc::vec![a]);
		}
		let mut flags = BTreeMap::from([(a, FROM_A), (b, FROM_B)]);
		let mut queue = BinaryHeap::from([(generation_a, a), (generation_b, b)]);
		// Queued nodes not yet stale: the walk ends when none is left.
		let mut active = 2u32;
		let mut bases = Vec::new();
		while active > 0 {
			let Some((_, next)) = queue.pop() else { break };
			let mut mark = flags.get(&next).copied().unwrap_or_default();
			if mark & STALE == 0 {
				active = active.saturating_sub(1);
				if mark & BOTH == BOTH {
					bases.push(next);
					mark |= STALE;
				}
			}
			flags.insert(next, mark | DONE);
			let Some(node) = reader.take(&next) else { continue };
			let inherited = mark & (BOTH | STALE);
			for parent in node.parents.iter() {
				let previous = flags.get(&parent.id).copied();
				let before = previous.unwrap_or_default();
				let after = before | inherited;
				if after == before {
					continue;
				}
				flags.insert(parent.id, after);
				match previous {
					None => {
						let generation = reader.load(parent.id)?.generation;
						queue.push((generation, parent.id));
						if after & STALE == 0 {
							active = active.saturating_add(1);
						}
					}
					// Queued and still counted as active: it just turned stale.
					Some(flag) if flag & (STALE | DONE) == 0 && after & STALE != 0 => {
						active = active.saturating_sub(1);
					}
					Some(_) => {}
				}
			}
		}
		Ok(bases)
	}
}
