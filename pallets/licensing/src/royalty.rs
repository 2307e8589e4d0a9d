//! The royalty cascade: a version's flat royalty table, built once at commit from its parents'
//! tables, and the exact split of a payment by a table or a contributor split.
//!
//! Pure functions over plain values, so the property test can hold them against a reference
//! implementation.

use crate::types::{BILLION, Bps, FULL_BPS, Ppb, RoyaltyEntry};
use alloc::{collections::BTreeMap, vec::Vec};
use zoo_primitives::VersionId;

/// One parent of a new version, as the cascade sees it.
#[derive(Clone, Debug)]
pub struct ParentShare<'a> {
	/// The parent.
	pub id: VersionId,
	/// Whether it is a version of the new version's own model.
	pub same_model: bool,
	/// For a parent of another model: the share of the new version's revenue its terms ask
	/// for this edge kind (0 for a parent of the same model).
	pub upstream_share: Ppb,
	/// The parent's own royalty table.
	pub table: &'a [RoyaltyEntry],
}

/// The bounds a table is built within.
#[derive(Clone, Copy, Debug)]
pub struct Bounds {
	/// Most entries in a table, the version's own included.
	pub max_entries: u32,
	/// Most cross-model hops an entry may be away; farther entries fold into the direct
	/// parent they came through.
	pub max_hops: u8,
	/// Most a version may owe upstream in total.
	pub max_upstream: Ppb,
}

/// The table would owe more than [`Bounds::max_upstream`] upstream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpstreamTooHigh(pub Ppb);

/// `amount * share / BILLION`, rounded down, without overflow.
pub fn ppb_of(amount: u128, share: Ppb) -> u128 {
	let share = u128::from(share);
	let billion = u128::from(BILLION);
	// amount = q * BILLION + r, so amount * share / BILLION = q * share + r * share / BILLION.
	(amount / billion) * share + (amount % billion) * share / billion
}

/// `amount * bps / FULL_BPS`, rounded down, without overflow.
pub fn bps_of(amount: u128, bps: Bps) -> u128 {
	let bps = u128::from(bps);
	let full = u128::from(FULL_BPS);
	(amount / full) * bps + (amount % full) * bps / full
}

/// Keep at most `budget` entries of `entries` (the `keep` entry, if given, always stays), the
/// largest shares first (ties: the lower version ID), and fold the rest into `keep` or else the
/// largest kept entry. Returns the kept entries.
fn cap(mut entries: Vec<RoyaltyEntry>, budget: usize, keep: Option<VersionId>) -> Vec<RoyaltyEntry> {
	if entries.len() <= budget {
		return entries;
	}
	entries.sort_by(|a, b| {
		let pinned = |e: &RoyaltyEntry| Some(e.version) == keep;
		pinned(b).cmp(&pinned(a)).then(b.share.cmp(&a.share)).then(a.version.cmp(&b.version))
	});
	let folded: Ppb = entries[budget..].iter().map(|e| e.share).sum();
	entries.truncate(budget);
	if let Some(first) = entries.first_mut() {
		first.share += folded;
	}
	entries
}

/// The royalty table of a new version `id` with `parents`:
///
/// - a parent of the same model passes on its table without its own entry (its share becomes
///   the new version's); over several such parents each ancestor keeps its largest share, so one
///   obligation is not charged twice;
/// - a parent of another model, reached by an edge whose terms ask `s`, receives `s` of the new
///   version's revenue, split by its own table (its entries scaled by `s`, one hop farther);
///   entries beyond `max_hops` fold into that parent's entry; contributions of several such
///   parents add up (each path is paid);
/// - each parent contributes at most `(max_entries - 1) / parents` entries, its smallest folding
///   into the largest it keeps (for a parent of another model, into its own entry);
/// - the new version keeps the rest, rounding included, so the shares sum to exactly
///   [`BILLION`]. Entries are sorted by version.
pub fn build_table(
	id: VersionId,
	parents: &[ParentShare<'_>],
	bounds: Bounds,
) -> Result<Vec<RoyaltyEntry>, UpstreamTooHigh> {
	let budget = (bounds.max_entries.saturating_sub(1) as usize) / parents.len().max(1);
	let mut inherited: BTreeMap<VersionId, RoyaltyEntry> = BTreeMap::new();
	let mut derived: BTreeMap<VersionId, RoyaltyEntry> = BTreeMap::new();
	for parent in parents {
		if parent.same_model {
			let entries = parent.table.iter().filter(|e| e.version != parent.id).copied().collect();
			for entry in cap(entries, budget, None) {
				let slot = inherited.entry(entry.version).or_insert(RoyaltyEntry { share: 0, ..entry });
				if entry.share > slot.share {
					*slot = entry;
				}
			}
		} else if parent.upstream_share > 0 {
			let mut own = RoyaltyEntry { version: parent.id, share: 0, hops: 1 };
			let mut entries = Vec::with_capacity(parent.table.len());
			for entry in parent.table {
				let share = ppb_of(u128::from(entry.share), parent.upstream_share) as Ppb;
				let hops = entry.hops.saturating_add(1);
				if entry.version == parent.id || hops > bounds.max_hops {
					own.share += share;
				} else if share > 0 {
					entries.push(RoyaltyEntry { version: entry.version, share, hops });
				}
			}
			entries.push(own);
			for entry in cap(entries, budget, Some(parent.id)) {
				let slot = derived.entry(entry.version).or_insert(RoyaltyEntry { share: 0, ..entry });
				slot.share = slot.share.saturating_add(entry.share);
				slot.hops = slot.hops.min(entry.hops);
			}
		}
	}
	for (version, entry) in derived {
		let slot = inherited.entry(version).or_insert(RoyaltyEntry { share: 0, ..entry });
		slot.share = slot.share.saturating_add(entry.share);
		slot.hops = slot.hops.min(entry.hops);
	}
	inherited.retain(|_, entry| entry.share > 0);
	let upstream = inherited.values().fold(0u64, |sum, e| sum + u64::from(e.share));
	if upstream > u64::from(bounds.max_upstream) {
		return Err(UpstreamTooHigh(upstream.min(u64::from(Ppb::MAX)) as Ppb));
	}
	inherited.insert(id, RoyaltyEntry { version: id, share: BILLION - upstream as Ppb, hops: 0 });
	Ok(inherited.into_values().collect())
}

/// Split `amount` by `table`: each entry gets its share rounded down, and `own` (the version
/// paid) also gets what rounding left, so the credits sum to exactly `amount`.
pub fn split_by_table(amount: u128, table: &[RoyaltyEntry], own: VersionId) -> Vec<(VersionId, u128)> {
	let mut credits: Vec<(VersionId, u128)> =
		table.iter().map(|entry| (entry.version, ppb_of(amount, entry.share))).collect();
	let credited: u128 = credits.iter().map(|(_, credit)| credit).sum();
	let remainder = amount - credited;
	match credits.iter_mut().find(|(version, _)| *version == own) {
		Some((_, credit)) => *credit += remainder,
		None => credits.push((own, remainder)),
	}
	credits
}

/// What contributor `index` of `split` is owed out of `total` received: its share rounded
/// down, and for the first contributor also what rounding left, so the shares of all
/// contributors sum to exactly `total`.
pub fn contributor_share(total: u128, split: &[Bps], index: usize) -> u128 {
	if index == 0 {
		total - split.iter().skip(1).map(|bps| bps_of(total, *bps)).sum::<u128>()
	} else {
		split.get(index).map_or(0, |bps| bps_of(total, *bps))
	}
}

#[cfg(test)]
mod tests {
	//! The cascade against a reference implementation on random version graphs with
	//! revisions, merges, diamonds and cross-model edges.

	use super::*;
	use alloc::collections::BTreeSet;
	use proptest::{prelude::*, test_runner::TestRunner};

	/// A random graph: for each version, its model (0..4) and its parents (earlier versions)
	/// with the share their terms ask (used only across models).
	#[derive(Clone, Debug)]
	struct Graph {
		versions: Vec<(u8, Vec<(usize, Ppb)>)>,
	}

	fn graph() -> impl Strategy<Value = Graph> {
		let version = (0u8..4, prop::collection::vec((any::<prop::sample::Index>(), 0u32..4), 0..4));
		prop::collection::vec(version, 1..14).prop_map(|raw| {
			let versions = raw
				.into_iter()
				.enumerate()
				.map(|(i, (model, parents))| {
					let mut chosen = BTreeSet::new();
					let parents = if i == 0 {
						Vec::new()
					} else {
						parents
							.into_iter()
							.filter_map(|(index, share)| {
								let parent = index.index(i);
								chosen.insert(parent).then_some((parent, [0, 50, 100, 300][share as usize] * 1_000_000))
							})
							.collect()
					};
					(model, parents)
				})
				.collect();
			Graph { versions }
		})
	}

	fn id(i: usize) -> VersionId {
		VersionId::of_bytes(&(i as u64).to_le_bytes())
	}

	/// What each version's table should be, in exact fractions of 1 (as f64): a parent of the
	/// same model passes on its entries but its own (each ancestor's largest share over such
	/// parents); a parent of another model at share `s` passes on `s` times its whole table
	/// (summed over parents); the version keeps the rest. `None`: refused (over `max_upstream`).
	fn reference(graph: &Graph, max_upstream: f64) -> Vec<Option<BTreeMap<usize, f64>>> {
		let mut tables: Vec<Option<BTreeMap<usize, f64>>> = Vec::new();
		for (i, (model, parents)) in graph.versions.iter().enumerate() {
			if parents.iter().any(|(p, _)| tables[*p].is_none()) {
				tables.push(None);
				continue;
			}
			let mut inherited: BTreeMap<usize, f64> = BTreeMap::new();
			let mut derived: BTreeMap<usize, f64> = BTreeMap::new();
			for (p, share) in parents {
				let table = tables[*p].as_ref().expect("checked");
				if graph.versions[*p].0 == *model {
					for (ancestor, s) in table.iter().filter(|(a, _)| **a != *p) {
						let slot = inherited.entry(*ancestor).or_default();
						*slot = slot.max(*s);
					}
				} else {
					for (ancestor, s) in table {
						*derived.entry(*ancestor).or_default() += s * f64::from(*share) / 1e9;
					}
				}
			}
			for (ancestor, s) in derived {
				*inherited.entry(ancestor).or_default() += s;
			}
			inherited.retain(|_, s| *s > 0.0);
			let upstream: f64 = inherited.values().sum();
			if upstream > max_upstream + 1e-9 {
				tables.push(None);
				continue;
			}
			inherited.insert(i, 1.0 - upstream);
			tables.push(Some(inherited));
		}
		tables
	}

	type Builder = fn(VersionId, &[ParentShare<'_>], Bounds) -> Result<Vec<RoyaltyEntry>, UpstreamTooHigh>;

	/// Build every table with `build`, check it against the reference and the invariants.
	fn check(graph: &Graph, build: Builder, bounds: Bounds) -> Result<(), TestCaseError> {
		let uncapped = bounds.max_entries > 64;
		let expected = reference(graph, f64::from(bounds.max_upstream) / 1e9);
		let mut tables: Vec<Option<Vec<RoyaltyEntry>>> = Vec::new();
		let mut ancestors: Vec<BTreeSet<VersionId>> = Vec::new();
		for (i, (model, parents)) in graph.versions.iter().enumerate() {
			let mut mine = BTreeSet::from([id(i)]);
			for (p, _) in parents {
				mine.extend(ancestors[*p].iter().copied());
			}
			ancestors.push(mine);
			if parents.iter().any(|(p, _)| tables[*p].is_none()) {
				tables.push(None);
				continue;
			}
			let shares: Vec<ParentShare<'_>> = parents
				.iter()
				.map(|(p, share)| {
					let same_model = graph.versions[*p].0 == *model;
					ParentShare {
						id: id(*p),
						same_model,
						upstream_share: if same_model { 0 } else { *share },
						table: tables[*p].as_deref().expect("checked"),
					}
				})
				.collect();
			let built = build(id(i), &shares, bounds);
			let Ok(table) = built else {
				if uncapped {
					prop_assert!(expected[i].is_none(), "version {i} refused but the reference accepts it");
				}
				tables.push(None);
				continue;
			};
			let total: u64 = table.iter().map(|e| u64::from(e.share)).sum();
			prop_assert_eq!(total, u64::from(BILLION), "version {} sums to {}", i, total);
			prop_assert!(table.windows(2).all(|w| w[0].version < w[1].version), "sorted and unique");
			prop_assert!(table.len() as u32 <= bounds.max_entries);
			prop_assert!(table.iter().all(|e| e.hops <= bounds.max_hops));
			prop_assert!(table.iter().all(|e| ancestors[i].contains(&e.version)), "only ancestors are paid");
			if uncapped {
				let reference = expected[i].as_ref();
				prop_assert!(reference.is_some(), "version {} accepted but the reference refuses it", i);
				let reference = reference.expect("checked");
				for (ancestor, share) in reference {
					let got = table.iter().find(|e| e.version == id(*ancestor)).map_or(0, |e| e.share);
					// Each hop rounds down by at most one part per billion per entry.
					let diff = (f64::from(got) - share * 1e9).abs();
					prop_assert!(
						diff <= 64.0,
						"version {} owes {} {} ppb, reference {}",
						i,
						ancestor,
						got,
						share * 1e9
					);
				}
				prop_assert_eq!(table.len(), reference.len(), "version {} pays other versions", i);
			}
			tables.push(Some(table));
		}
		Ok(())
	}

	const UNCAPPED: Bounds = Bounds { max_entries: 1_000, max_hops: u8::MAX, max_upstream: 900_000_000 };
	const CAPPED: Bounds = Bounds { max_entries: 6, max_hops: 2, max_upstream: 900_000_000 };

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(400))]

		#[test]
		fn tables_match_the_reference_and_sum_to_exactly_100_percent(graph in graph()) {
			check(&graph, build_table, UNCAPPED)?;
		}

		#[test]
		fn capped_tables_stay_within_bounds(graph in graph()) {
			check(&graph, build_table, CAPPED)?;
		}

		#[test]
		fn payments_and_claims_split_to_the_unit(
			amount in any::<u64>(),
			shares in prop::collection::vec(1u32..BILLION / 8, 1..32),
			split in prop::collection::vec(1u16..1_000, 1..16),
		) {
			let mut table: Vec<RoyaltyEntry> = shares
				.iter()
				.enumerate()
				.map(|(i, share)| RoyaltyEntry { version: id(i + 1), share: *share / shares.len() as u32, hops: 1 })
				.collect();
			let upstream: u32 = table.iter().map(|e| e.share).sum();
			table.push(RoyaltyEntry { version: id(0), share: BILLION - upstream, hops: 0 });
			let credits = split_by_table(u128::from(amount), &table, id(0));
			prop_assert_eq!(credits.iter().map(|(_, c)| c).sum::<u128>(), u128::from(amount));
			let mut bps = split.clone();
			let rest: u32 = bps.iter().skip(1).map(|b| u32::from(*b)).sum();
			prop_assume!(rest < u32::from(FULL_BPS));
			bps[0] = FULL_BPS - rest as Bps;
			let owed: u128 = (0..bps.len()).map(|i| contributor_share(u128::from(amount), &bps, i)).sum();
			prop_assert_eq!(owed, u128::from(amount));
		}
	}

	/// A wrong cascade (parents of the same model summed instead of taking each ancestor's
	/// largest share, so a diamond pays twice) is caught: the check above can fail.
	#[test]
	fn the_check_catches_a_cascade_that_counts_a_diamond_twice() {
		fn summing(
			id: VersionId,
			parents: &[ParentShare<'_>],
			bounds: Bounds,
		) -> Result<Vec<RoyaltyEntry>, UpstreamTooHigh> {
			let upstream: Vec<Vec<RoyaltyEntry>> =
				parents.iter().map(|p| p.table.iter().filter(|e| e.version != p.id).copied().collect()).collect();
			let relabelled: Vec<ParentShare<'_>> = parents
				.iter()
				.zip(&upstream)
				.map(|(p, upstream)| match p.same_model {
					true => ParentShare { id: p.id, same_model: false, upstream_share: BILLION, table: upstream },
					false => p.clone(),
				})
				.collect();
			build_table(id, &relabelled, bounds)
		}
		let mut runner = TestRunner::new(ProptestConfig::with_cases(400));
		let result = runner.run(&graph(), |graph| check(&graph, summing, UNCAPPED));
		assert!(result.is_err(), "the property test must reject a wrong cascade");
	}
}
