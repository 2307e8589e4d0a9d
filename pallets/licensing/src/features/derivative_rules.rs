//! The derivative-rule engine: which uses and derivations a licence allows, what a new
//! version owes upstream (its royalty table) and which split it snapshots.

use crate::{
	RoyaltyTableOf, SplitOf, SplitRecordOf,
	pallet::*,
	royalty,
	royalty::{Bounds, ParentShare},
	spdx,
	types::*,
};
use alloc::{vec, vec::Vec};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use zoo_primitives::{License, Manifest, ModelAccess, ModelName, VersionId, VersionInspect};

/// A parent's licence as the derivative rules read it.
struct UpstreamRules {
	commercial: bool,
	allowed: EdgeKindSet,
	paid: EdgeKindSet,
	approval: bool,
	share_alike: bool,
	attribution: bool,
	restrictions: RestrictionSet,
	name_prefix: Option<zoo_primitives::Bytes<MAX_NAME_PREFIX_LEN>>,
	upstream_share: [Ppb; 7],
}

/// What the registry's commit needs from this pallet, worked out by `check_commit`.
pub struct CommitPlan<T: Config> {
	pub(crate) license: VersionLicense,
	pub(crate) table: RoyaltyTableOf<T>,
	pub(crate) split: SplitOf<T>,
	pub(crate) grants_used: Vec<VersionId>,
}

/// Everything the derivative rules found about a manifest.
pub(crate) struct Evaluation {
	pub(crate) refusals: Vec<Refusal>,
	pub(crate) obligations: Obligations,
	pub(crate) grants_used: Vec<VersionId>,
}

fn push_once(refusals: &mut Vec<Refusal>, refusal: Refusal) {
	if !refusals.contains(&refusal) {
		refusals.push(refusal);
	}
}

/// Add `more` to `into`; `false` when they cannot both hold (two different share-alike
/// licences, or two name prefixes neither of which starts the other).
fn merge_obligations(into: &mut Obligations, more: &Obligations) -> bool {
	into.non_commercial |= more.non_commercial;
	into.restrictions = RestrictionSet(into.restrictions.0 | more.restrictions.0);
	into.attribution |= more.attribution;
	let mut compatible = true;
	match (&into.share_alike, &more.share_alike) {
		(Some(a), Some(b)) if a != b => compatible = false,
		(None, Some(b)) => into.share_alike = Some(b.clone()),
		_ => {}
	}
	match (&into.name_prefix, &more.name_prefix) {
		(Some(a), Some(b)) if b.starts_with(a) => into.name_prefix = Some(b.clone()),
		(Some(a), Some(b)) if !a.starts_with(b) => compatible = false,
		(None, Some(b)) => into.name_prefix = Some(b.clone()),
		_ => {}
	}
	compatible
}

/// The part of a model name after `org/`.
fn name_part(model: &ModelName) -> &[u8] {
	match model.iter().position(|b| *b == b'/') {
		Some(slash) => &model[slash + 1..],
		None => &model[..],
	}
}

/// Whether a manifest carries attribution: a top-level `NOTICE` (or `NOTICE.*`) artifact, or
/// an `attribution` tag.
fn has_attribution(manifest: &Manifest) -> bool {
	manifest.artifacts.iter().any(|a| &a.path[..] == b"NOTICE" || a.path.starts_with(b"NOTICE."))
		|| manifest.tags.iter().any(|tag| &tag.key[..] == b"attribution")
}

/// A licence as the derivative rules compare licences: a sealed licence is its terms (sealing
/// changes who can read the files, not the licence), anything else itself.
fn unsealed(license: &License) -> License {
	match license {
		License::Sealed { terms, .. } => License::Terms(*terms),
		other => other.clone(),
	}
}

pub(crate) fn refusal_error<T: Config>(refusal: Refusal) -> Error<T> {
	match refusal {
		Refusal::UnknownTerms => Error::<T>::ManifestTermsUnknown,
		Refusal::UnknownParentLicense => Error::<T>::UnknownParentLicense,
		Refusal::UpstreamYanked => Error::<T>::UpstreamYanked,
		Refusal::UpstreamUnlicensed => Error::<T>::UpstreamUnlicensed,
		Refusal::DerivativeKindNotAllowed => Error::<T>::DerivativeKindNotAllowed,
		Refusal::DerivativeGrantRequired => Error::<T>::DerivativeGrantRequired,
		Refusal::ShareAlikeRequired => Error::<T>::ShareAlikeRequired,
		Refusal::UseRestrictionsDropped => Error::<T>::UseRestrictionsDropped,
		Refusal::NamePrefixRequired => Error::<T>::NamePrefixRequired,
		Refusal::AttributionRequired => Error::<T>::AttributionRequired,
		Refusal::NonCommercialUpstream => Error::<T>::NonCommercialUpstream,
		Refusal::ApprovalRequired => Error::<T>::ApprovalRequired,
		Refusal::IncompatibleParents => Error::<T>::IncompatibleParents,
		Refusal::UpstreamShareTooHigh => Error::<T>::UpstreamShareTooHigh,
	}
}

impl<T: Config> Pallet<T> {
	pub(crate) fn do_may_use(version: VersionId, who: &T::AccountId, at: BlockNumberFor<T>) -> bool {
		Licenses::<T>::get(version).is_some_and(|license| Self::may_use_under(&license, version, who, at))
	}

	/// Whether `who` may use `version`, licensed as `license`, commercially at block `at`.
	pub(crate) fn may_use_under(
		license: &VersionLicense,
		version: VersionId,
		who: &T::AccountId,
		at: BlockNumberFor<T>,
	) -> bool {
		if T::Models::is_admin(&license.model, who) {
			return true;
		}
		match &license.license {
			License::Terms(id) | License::Sealed { terms: id, .. } => {
				TermsById::<T>::get(id).is_some_and(|record| record.terms.commercial_use)
					&& Grants::<T>::get((version, who, GrantKind::Use)).is_some_and(|grant| grant.holds_at(&at))
			}
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				class.known && class.commercial
			}
			License::Unspecified => false,
		}
	}

	/// A licence's rules for derivatives, or `None` when it has none this pallet understands.
	fn upstream_rules(license: &License) -> Option<UpstreamRules> {
		match license {
			License::Terms(id) | License::Sealed { terms: id, .. } => TermsById::<T>::get(id).map(|record| {
				let terms = record.terms;
				UpstreamRules {
					commercial: terms.commercial_use,
					allowed: terms.derivatives_allowed,
					paid: terms.derivatives_paid,
					approval: terms.approval_required,
					share_alike: terms.share_alike,
					attribution: terms.attribution_required,
					restrictions: terms.restrictions,
					name_prefix: terms.name_prefix,
					upstream_share: terms.upstream_share,
				}
			}),
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				class.known.then_some(UpstreamRules {
					commercial: class.commercial,
					allowed: if class.derivatives { EdgeKindSet::ALL_DERIVATIONS } else { EdgeKindSet::NONE },
					paid: EdgeKindSet::NONE,
					approval: false,
					share_alike: class.share_alike,
					attribution: false,
					restrictions: RestrictionSet::default(),
					name_prefix: None,
					upstream_share: [0; 7],
				})
			}
			License::Unspecified => None,
		}
	}

	/// Whether a manifest's own licence allows commercial use (an unknown one is taken to).
	fn licenses_commercial_use(license: &License) -> bool {
		match license {
			License::Terms(id) | License::Sealed { terms: id, .. } => {
				TermsById::<T>::get(id).is_none_or(|record| record.terms.commercial_use)
			}
			License::Spdx(expression) => {
				let class = spdx::classify(expression);
				!class.known || class.commercial
			}
			License::Unspecified => true,
		}
	}

	/// The derivative rules applied to `manifest` committed by `who`: every refusal, what the
	/// version will owe, and the derivative grants the commit uses.
	pub(crate) fn evaluate(manifest: &Manifest, who: &T::AccountId) -> Evaluation {
		let mut refusals = Vec::new();
		let mut obligations = Obligations::default();
		let mut grants_used = Vec::new();
		let now = frame_system::Pallet::<T>::block_number();
		let own_terms = manifest.license.terms().and_then(|id| {
			let terms = TermsById::<T>::get(id).map(|record| record.terms);
			if terms.is_none() {
				push_once(&mut refusals, Refusal::UnknownTerms);
			}
			terms
		});
		// (licence, commercial, share-alike) of each parent of another model.
		let mut upstream: Vec<(License, bool, bool)> = Vec::new();
		for parent in manifest.parents.iter() {
			let Some(record) = Licenses::<T>::get(parent.id) else {
				push_once(&mut refusals, Refusal::UnknownParentLicense);
				continue;
			};
			let mut inherited = record.obligations.clone();
			if record.model != manifest.model {
				// As in the registry: a yanked version is built on only by its own model's admins.
				if T::Models::is_yanked(&parent.id) && !T::Models::is_admin(&record.model, who) {
					push_once(&mut refusals, Refusal::UpstreamYanked);
				}
				match Self::upstream_rules(&record.license) {
					None => {
						if !T::Models::is_admin(&record.model, who) {
							push_once(&mut refusals, Refusal::UpstreamUnlicensed);
						}
					}
					Some(rules) => {
						if !rules.allowed.contains(parent.edge) {
							push_once(&mut refusals, Refusal::DerivativeKindNotAllowed);
						} else if rules.paid.contains(parent.edge) {
							let grant = Grants::<T>::get((parent.id, who, GrantKind::Derivative));
							if grant.is_some_and(|grant| grant.credits > 0 && grant.holds_at(&now)) {
								grants_used.push(parent.id);
							} else {
								push_once(&mut refusals, Refusal::DerivativeGrantRequired);
							}
						}
						if rules.approval && !Approvals::<T>::contains_key(parent.id, who) {
							push_once(&mut refusals, Refusal::ApprovalRequired);
						}
						let own = Obligations {
							non_commercial: !rules.commercial,
							share_alike: rules.share_alike.then(|| unsealed(&record.license)),
							restrictions: rules.restrictions,
							attribution: rules.attribution,
							name_prefix: rules.name_prefix,
						};
						if !merge_obligations(&mut inherited, &own) {
							push_once(&mut refusals, Refusal::IncompatibleParents);
						}
						upstream.push((unsealed(&record.license), rules.commercial, rules.share_alike));
					}
				}
			}
			if !merge_obligations(&mut obligations, &inherited) {
				push_once(&mut refusals, Refusal::IncompatibleParents);
			}
		}
		if let Some((_, commercial, _)) = upstream.first() {
			let disagree = upstream.iter().any(|(_, other, _)| other != commercial);
			let share_alike_conflict = upstream.iter().any(|(_, _, share_alike)| *share_alike)
				&& upstream.iter().any(|(license, _, _)| *license != upstream[0].0);
			if disagree || share_alike_conflict {
				push_once(&mut refusals, Refusal::IncompatibleParents);
			}
		}
		if obligations.non_commercial && Self::licenses_commercial_use(&manifest.license) {
			push_once(&mut refusals, Refusal::NonCommercialUpstream);
		}
		if obligations.share_alike.as_ref().is_some_and(|license| *license != unsealed(&manifest.license)) {
			push_once(&mut refusals, Refusal::ShareAlikeRequired);
		}
		let own_restrictions = own_terms.as_ref().map(|terms| terms.restrictions).unwrap_or_default();
		if !obligations.restrictions.is_subset_of(own_restrictions) {
			push_once(&mut refusals, Refusal::UseRestrictionsDropped);
		}
		if obligations.name_prefix.as_ref().is_some_and(|prefix| !name_part(&manifest.model).starts_with(prefix)) {
			push_once(&mut refusals, Refusal::NamePrefixRequired);
		}
		if obligations.attribution && !has_attribution(manifest) {
			push_once(&mut refusals, Refusal::AttributionRequired);
		}
		Evaluation { refusals, obligations, grants_used }
	}

	/// The royalty table of `manifest` (content ID `id`), built from its parents' tables.
	pub(crate) fn build_table(id: VersionId, manifest: &Manifest) -> Result<Vec<RoyaltyEntry>, Refusal> {
		let mut parents: Vec<(VersionId, bool, Ppb, RoyaltyTableOf<T>)> = Vec::with_capacity(manifest.parents.len());
		for parent in manifest.parents.iter() {
			let record = Licenses::<T>::get(parent.id).ok_or(Refusal::UnknownParentLicense)?;
			let same_model = record.model == manifest.model;
			let share = match Self::upstream_rules(&record.license) {
				Some(rules) if !same_model && rules.allowed.contains(parent.edge) => {
					rules.upstream_share[parent.edge as usize]
				}
				_ => 0,
			};
			let table = Royalties::<T>::get(parent.id).unwrap_or_default();
			parents.push((parent.id, same_model, share, table));
		}
		let shares: Vec<ParentShare<'_>> = parents
			.iter()
			.map(|(id, same_model, share, table)| ParentShare {
				id: *id,
				same_model: *same_model,
				upstream_share: *share,
				table,
			})
			.collect();
		let bounds = Bounds {
			max_entries: T::MaxRoyaltyEntries::get(),
			max_hops: T::MaxHops::get(),
			max_upstream: T::MaxUpstreamShare::get(),
		};
		royalty::build_table(id, &shares, bounds).map_err(|_| Refusal::UpstreamShareTooHigh)
	}

	pub(crate) fn preview_table(manifest: &Manifest) -> Result<Vec<RoyaltyEntry>, Refusal> {
		Self::build_table(manifest.id(), manifest)
	}

	pub(crate) fn all_refusals(manifest: &Manifest, who: &T::AccountId) -> Vec<Refusal> {
		let mut refusals = Self::evaluate(manifest, who).refusals;
		if let Err(refusal) = Self::build_table(manifest.id(), manifest) {
			push_once(&mut refusals, refusal);
		}
		refusals
	}

	/// The split a version of `model` snapshots: the model's, or its owner's alone.
	pub(crate) fn split_for(model: &ModelName) -> SplitOf<T> {
		match ModelSplits::<T>::get(model) {
			Some(SplitRecordOf::<T> { split, .. }) => split,
			None => T::Models::model_owner(model)
				.map(|owner| vec![(owner, FULL_BPS)])
				.unwrap_or_default()
				.try_into()
				.expect("MaxContributors is at least 1 (integrity test); qed"),
		}
	}
}
