//! What an artifact URI names, whether a host is this machine, and the UnixFS CID a manifest
//! gives for an artifact.

use crate::BadUri;
use cid::Cid;
use std::path::PathBuf;
use url::Url;

/// A place one artifact can be read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
	/// A local file (`file:///abs/path`).
	File(PathBuf),
	/// An S3 object (`s3://bucket/key`); endpoint, region and credentials come from the
	/// environment or the remote with that bucket, never from the URI.
	S3 {
		/// The bucket.
		bucket: String,
		/// The object key (percent-decoded).
		key: String,
	},
	/// An HTTP(S) URL.
	Http(Url),
	/// An IPFS file by its CID (`ipfs://bafy...`), read through a gateway.
	Ipfs(Cid),
}

impl Location {
	/// Parse an artifact URI.
	pub fn parse(uri: &str) -> Result<Location, BadUri> {
		let url = Url::parse(uri).map_err(|e| BadUri::new(uri, format!("not a URI: {e}")))?;
		if url.query().is_some() || url.fragment().is_some() {
			return Err(BadUri::new(uri, "a query or fragment is not allowed in an artifact URI"));
		}
		match url.scheme() {
			"file" => {
				if url.host_str().is_some_and(|host| !host.is_empty() && host != "localhost") {
					return Err(BadUri::new(uri, "file:// URI names another host"));
				}
				url.to_file_path().map(Location::File).map_err(|()| BadUri::new(uri, "not a local file path"))
			}
			"s3" => {
				let bucket = url
					.host_str()
					.filter(|b| !b.is_empty())
					.ok_or_else(|| BadUri::new(uri, "names no bucket (s3://BUCKET/KEY)"))?;
				let key = percent_decode(url.path().trim_start_matches('/'), uri)?;
				if key.is_empty() {
					return Err(BadUri::new(uri, "names no object key (s3://BUCKET/KEY)"));
				}
				Ok(Location::S3 { bucket: bucket.to_owned(), key })
			}
			"http" | "https" => {
				if url.host_str().is_none() {
					return Err(BadUri::new(uri, "names no host"));
				}
				Ok(Location::Http(url))
			}
			"ipfs" => {
				let text = url.host_str().unwrap_or_default();
				if url.path() != "" && url.path() != "/" {
					return Err(BadUri::new(
						uri,
						"paths inside an IPFS directory are not supported: use the file's own CID",
					));
				}
				// Hosts are lower-cased by URL parsing, which base32 CIDs survive; base58
				// (`Qm...`) CIDs do not, so read the CID from the original text.
				let original = uri.get("ipfs://".len()..).unwrap_or_default().trim_end_matches('/');
				let cid = Cid::try_from(original)
					.or_else(|_| Cid::try_from(text))
					.map_err(|e| BadUri::new(uri, format!("not a CID: {e}")))?;
				Ok(Location::Ipfs(cid))
			}
			other => Err(BadUri::new(
				uri,
				format!("unsupported scheme {other}:// (file://, s3://, http(s):// and ipfs:// are)"),
			)),
		}
	}
}

/// Percent-decode a URI path into UTF-8.
fn percent_decode(path: &str, uri: &str) -> Result<String, BadUri> {
	// `percent_decode_str` passes a malformed escape through as is; refuse it instead.
	let malformed = path
		.match_indices('%')
		.any(|(at, _)| path.get(at + 1..at + 3).is_none_or(|hex| !hex.bytes().all(|b| b.is_ascii_hexdigit())));
	if malformed {
		return Err(BadUri::new(uri, "bad percent-escape in the path"));
	}
	percent_encoding::percent_decode_str(path)
		.decode_utf8()
		.map(|path| path.into_owned())
		.map_err(|_| BadUri::new(uri, "path is not UTF-8"))
}

/// Leaf size of the IPIP-499 `unixfs-v1-2025` profile: a file of at most this many bytes is one
/// raw block.
pub const UNIXFS_CHUNK_SIZE: usize = 1 << 20;

/// The CID of a file of at most one chunk whose sha2-256 is `digest`: a raw block. `None` for a
/// bigger file, whose CID needs its leaves.
pub fn single_block_cid(size: u64, sha2_256: &[u8; 32]) -> Option<Cid> {
	if size > UNIXFS_CHUNK_SIZE as u64 {
		return None;
	}
	let hash = cid::multihash::Multihash::<64>::wrap(0x12, sha2_256).ok()?;
	Some(Cid::new_v1(0x55, hash))
}

/// An artifact's UnixFS CID, where the manifest gives it: from an `ipfs://` URI, or (for a
/// single-block file hashed whole with sha2-256) from its digest. `None` otherwise: the CID of a
/// bigger file needs its leaves.
pub fn artifact_cid(artifact: &zoo_primitives::Artifact, hashing: &zoo_primitives::HashingSettings) -> Option<Cid> {
	let uri = String::from_utf8_lossy(&artifact.uri);
	if let Ok(Location::Ipfs(cid)) = Location::parse(&uri) {
		return Some(cid);
	}
	match (hashing.algorithm, hashing.shard_size) {
		(zoo_primitives::DigestAlgorithm::Sha2_256, None) => single_block_cid(artifact.size, &artifact.digest.bytes),
		_ => None,
	}
}

/// Whether `host` is this machine: plaintext HTTP and S3 without TLS are allowed only there.
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
	match host {
		url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
		url::Host::Ipv4(ip) => ip.is_loopback(),
		url::Host::Ipv6(ip) => ip.is_loopback(),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_each_scheme() {
		assert_eq!(Location::parse("file:///data/a%20b.bin").unwrap(), Location::File("/data/a b.bin".into()));
		assert_eq!(
			Location::parse("s3://bucket/m/sha2-256/ab/c%3F").unwrap(),
			Location::S3 { bucket: "bucket".into(), key: "m/sha2-256/ab/c?".into() }
		);
		assert!(matches!(Location::parse("https://host/x.bin").unwrap(), Location::Http(_)));
		let cid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
		assert_eq!(Location::parse(&format!("ipfs://{cid}")).unwrap(), Location::Ipfs(cid.parse().unwrap()));
		let v0 = "Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD";
		assert_eq!(Location::parse(&format!("ipfs://{v0}")).unwrap(), Location::Ipfs(v0.parse().unwrap()));
	}

	#[test]
	fn refuses_what_it_cannot_fetch() {
		for (uri, needle) in [
			("ftp://host/x", "unsupported scheme ftp://"),
			("s3:///key", "names no bucket"),
			("s3://bucket", "names no object key"),
			("file://other/x", "another host"),
			("ipfs://notacid", "not a CID"),
			("ipfs://bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e/a.bin", "paths inside"),
			("https://host/x?sig=1", "query"),
			("s3://bucket/%zz", "percent-escape"),
			("no scheme", "not a URI"),
		] {
			let err = Location::parse(uri).unwrap_err().to_string();
			assert!(err.contains(needle), "{uri}: {err}");
		}
	}
}
