//! The licensing invariants, checked by `try_state` (and after every unit test).

use crate::{types::*, *};
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{
		Get,
		fungible::{Inspect, InspectHold},
	},
};
use sp_runtime::{
	TryRuntimeError,
	traits::{Saturating, UniqueSaturatedInto, Zero},
};

impl<T: Config> Pallet<T> {
	/// Check every invariant of tables, splits, vaults, channels, key releases and deposits.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		for (version, table) in Royalties::<T>::iter() {
			let total: u64 = table.iter().map(|entry| u64::from(entry.share)).sum();
			ensure!(total == u64::from(BILLION), "a royalty table does not sum to 100 %");
			ensure!(table.windows(2).all(|pair| pair[0].version < pair[1].version), "a royalty table is not sorted");
			ensure!(table.iter().any(|entry| entry.version == version), "a royalty table lacks its own version");
			ensure!(table.iter().all(|entry| entry.hops <= T::MaxHops::get()), "a royalty entry is beyond the horizon");
			ensure!(Licenses::<T>::contains_key(version), "a royalty table has no licence record");
			let split = VersionSplits::<T>::get(version).ok_or("a version has a table but no split")?;
			let bps: u32 = split.iter().map(|(_, bps)| u32::from(*bps)).sum();
			ensure!(bps == u32::from(FULL_BPS), "a split does not sum to 10,000");
			for (i, (account, _)) in split.iter().enumerate() {
				ensure!(!split[..i].iter().any(|(other, _)| other == account), "an account is twice in a split");
			}
		}
		ensure!(Licenses::<T>::iter_keys().all(Royalties::<T>::contains_key), "a licence record has no royalty table");

		// Solvency: the pot holds its existential deposit plus everything credited and not
		// yet claimed.
		let mut outstanding = BalanceOf::<T>::zero();
		for (version, total) in Vaults::<T>::iter() {
			let claimed =
				Claimed::<T>::iter_prefix(version).fold(BalanceOf::<T>::zero(), |sum, (_, c)| sum.saturating_add(c));
			ensure!(claimed <= total, "more was claimed from a vault than it received");
			for (who, claimed) in Claimed::<T>::iter_prefix(version) {
				let split = VersionSplits::<T>::get(version).ok_or("a claim on a version without a split")?;
				let index =
					split.iter().position(|(account, _)| *account == who).ok_or("a claim by a non-contributor")?;
				let shares: Vec<Bps> = split.iter().map(|(_, bps)| *bps).collect();
				let share = royalty::contributor_share(total.unique_saturated_into(), &shares, index);
				let claimed: u128 = claimed.unique_saturated_into();
				// The first contributor's share may have shrunk since it claimed (rounding);
				// the vault's total bounds it above.
				ensure!(index == 0 || claimed <= share, "a contributor claimed more than its share");
			}
			outstanding = outstanding.saturating_add(total.saturating_sub(claimed));
		}
		let pot = T::Currency::balance(&Self::pot());
		ensure!(
			pot >= outstanding.saturating_add(T::Currency::minimum_balance()),
			"the pot holds less than what vaults owe"
		);

		// Deposits: what is recorded beside each item adds up, per account and reason, to what
		// is on hold.
		let mut recorded: BTreeMap<(T::AccountId, u8), BalanceOf<T>> = BTreeMap::new();
		let mut add = |who: &T::AccountId, reason: HoldReason, amount: BalanceOf<T>| {
			let slot = recorded.entry((who.clone(), reason as u8)).or_insert_with(Zero::zero);
			*slot = slot.saturating_add(amount);
		};
		for record in TermsById::<T>::iter_values() {
			add(&record.registrant, HoldReason::TermsDeposit, record.deposit);
		}
		ensure!(TermsById::<T>::iter().count() == TermsByHash::<T>::iter().count(), "terms and their hashes differ");
		for offers in Offers::<T>::iter_values() {
			for offer in offers.values() {
				add(&offer.depositor, HoldReason::OfferDeposit, offer.deposit);
			}
		}
		for ((_, holder, _), grant) in Grants::<T>::iter() {
			add(&holder, HoldReason::GrantDeposit, grant.deposit);
		}
		for record in ModelSplits::<T>::iter_values() {
			add(&record.depositor, HoldReason::SplitDeposit, record.deposit);
		}
		for (_, _, (depositor, deposit)) in Approvals::<T>::iter() {
			add(&depositor, HoldReason::ApprovalDeposit, deposit);
		}
		for channel in Channels::<T>::iter_values() {
			ensure!(channel.expires_at > Zero::zero(), "a channel without expiry");
			add(&channel.payer, HoldReason::UsageChannel, channel.deposit.saturating_add(channel.record_deposit));
		}
		for (who, record) in Recipients::<T>::iter() {
			ensure!(record.deposit == T::RecipientDeposit::get(), "a recipient's deposit is not RecipientDeposit");
			add(&who, HoldReason::RecipientDeposit, record.deposit);
		}
		for (version, _, release) in ReleasedKeys::<T>::iter() {
			ensure!(
				release.deposit == Self::key_release_deposit(&release.headers),
				"a key release's deposit does not match its header bytes"
			);
			let license = Licenses::<T>::get(version).ok_or("a key release of a version without a licence record")?;
			let files = license.license.sealed_files();
			ensure!(
				release.headers.len() == files.len()
					&& release.headers.iter().zip(files).all(|(key, file)| key.artifact == file.artifact),
				"a key release does not match its version's sealed files"
			);
			add(&release.by, HoldReason::KeyReleaseDeposit, release.deposit);
		}
		for ((who, reason), amount) in recorded {
			let reason = match reason {
				0 => HoldReason::TermsDeposit,
				1 => HoldReason::OfferDeposit,
				2 => HoldReason::GrantDeposit,
				3 => HoldReason::SplitDeposit,
				4 => HoldReason::ApprovalDeposit,
				5 => HoldReason::UsageChannel,
				6 => HoldReason::RecipientDeposit,
				_ => HoldReason::KeyReleaseDeposit,
			};
			let held = T::Currency::balance_on_hold(&reason.into(), &who);
			ensure!(held == amount, "deposits recorded differ from what is held");
		}
		Ok(())
	}
}
