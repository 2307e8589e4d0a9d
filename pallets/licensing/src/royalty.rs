//! The royalty cascade: a version's flat royalty table, built once at commit from its parents'
//! tables, and the exact split of a payment by a table or a contributor split.
//!
//! Pure functions over plain values, so the property test can hold them against a reference
//! implementation.

use crate::types::{Bps, Ppb, RoyaltyEntry, BILLION, FULL_BPS};
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
