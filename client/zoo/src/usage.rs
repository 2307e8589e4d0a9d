//! `zoo usage`: metered usage through prepaid channels and signed vouchers.

use crate::args::{Hash32, SignatureArg};
use crate::prelude::{BLOCKS_PER_DAY, Ctx, Outcome, account_of};
use anyhow::{Result, anyhow};
use zoo_client::{
	amount::{Amount, zoo},
	chain::{ChannelInfo, OfferKind, Voucher},
};
use zoo_primitives::VersionId;

/// What `zoo usage open` is given.
pub(crate) struct OpenArgs {
	pub cid: VersionId,
	pub offer: u32,
	pub provider: String,
	pub deposit: Amount,
	pub days: Option<u32>,
	pub blocks: Option<u32>,
	pub max_unit_price: Option<Amount>,
}

/// `zoo usage open`.
pub(crate) async fn open(ctx: &Ctx, args: OpenArgs) -> Result<Outcome> {
	let provider = account_of(&args.provider)?;
	let duration = match (args.days, args.blocks) {
		(Some(days), _) => days.checked_mul(BLOCKS_PER_DAY).ok_or_else(|| anyhow!("--days {days} is too long"))?,
		(None, Some(blocks)) => blocks,
		(None, None) => return Err(anyhow!("pass --days N or --blocks N")),
	};
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let offers = chain.offers(args.cid).await?;
	let offer = offers
		.iter()
		.find(|offer| offer.offer == args.offer)
		.ok_or_else(|| anyhow!("{} has no offer {}", args.cid, args.offer))?;
	if offer.kind != OfferKind::Usage {
		return Err(anyhow!(
			"offer {} sells a {} grant, not usage: buy it with `zoo license buy`",
			args.offer,
			offer.kind.as_str()
		));
	}
	let max_unit_price = args.max_unit_price.map_or(offer.price, Amount::planck);
	let expires_at = chain
		.block_number()
		.await?
		.checked_add(duration)
		.ok_or_else(|| anyhow!("the channel would expire after the last block number"))?;
	let opened = chain
		.open_channel(&signer, args.cid, args.offer, provider, args.deposit.planck(), expires_at, max_unit_price)
		.await?;
	ctx.print(&opened, || {
		format!(
			"opened channel {} to {provider} for {} (block {})\nunit price  {}\ndeposit     {}\nexpires at  block {}",
			opened.channel,
			opened.version,
			opened.block.block_number,
			zoo(offer.price),
			zoo(opened.deposit),
			opened.expires_at
		)
	});
	Ok(Outcome::Done)
}

/// `zoo usage voucher`: signed offline; the node is asked only for the genesis hash, unless
/// `--genesis` gives it.
pub(crate) async fn voucher(
	ctx: &Ctx,
	channel: u64,
	units: u64,
	nonce: u64,
	genesis: Option<Hash32>,
) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let genesis = match genesis {
		Some(Hash32(hash)) => hash,
		None => ctx.chain().await?.genesis_hash(),
	};
	let voucher = Voucher::sign(&signer, genesis, channel, nonce, units);
	ctx.print(&voucher, || {
		format!(
			"voucher for channel {channel}: {units} units in all, nonce {nonce}, signed by {}\nsignature {}",
			voucher.payer,
			hex::encode(voucher.signature)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo usage settle`.
pub(crate) async fn settle(
	ctx: &Ctx,
	channel: u64,
	units: u64,
	nonce: u64,
	signature: SignatureArg,
) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let settled = chain.settle(&signer, channel, units, nonce, signature.0).await?;
	ctx.print(&settled, || {
		format!(
			"settled channel {channel} up to {units} units (block {})\nunits paid    {}\namount        {}\nprotocol fee  {} (of the amount)",
			settled.block.block_number,
			settled.units,
			zoo(settled.amount),
			zoo(settled.protocol_fee)
		)
	});
	Ok(Outcome::Done)
}

/// `zoo usage refund`.
pub(crate) async fn refund(ctx: &Ctx, channel: u64) -> Result<Outcome> {
	let signer = ctx.signer()?;
	let chain = ctx.chain().await?;
	let refund = chain.refund(&signer, channel).await?;
	ctx.print(&refund, || {
		format!("closed channel {channel}: {} back to you (block {})", zoo(refund.refunded), refund.block.block_number)
	});
	Ok(Outcome::Done)
}

/// `zoo usage show`.
pub(crate) async fn show(ctx: &Ctx, channel: u64) -> Result<Outcome> {
	let chain = ctx.chain().await?;
	let info: ChannelInfo = chain.channel(channel).await?.ok_or_else(|| anyhow!("channel {channel} does not exist"))?;
	ctx.print(&info, || {
		format!(
			"channel      {}\nversion      {}\npayer        {}\nprovider     {}\nunit price   {}\ndeposit left {}\nsettled      {} units (nonce {})\nexpires at   block {}",
			info.channel,
			info.version,
			info.payer,
			info.provider,
			zoo(info.unit_price),
			zoo(info.deposit),
			info.settled_units,
			info.nonce,
			info.expires_at
		)
	});
	Ok(Outcome::Done)
}
