//! Named remotes, kept in the workspace's `.zoo/config.json` like git and DVC remotes, and the
//! content-addressed layout artifacts are stored under.
//!
//! A remote's URL says where; settings that are not secrets (S3 endpoint and region, an IPFS
//! gateway) are stored beside it. Credentials never are: S3 reads them from the environment
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).

use super::{StorageError, is_loopback_host};
use cid::Cid;
use serde::{Deserialize, Serialize};
use url::Url;
use zoo_primitives::ArtifactDigest;

/// Longest remote name.
pub const MAX_REMOTE_NAME: usize = 32;

/// One remote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remote {
	/// Its name (`[A-Za-z0-9_-]`, at most [`MAX_REMOTE_NAME`]).
	pub name: String,
	/// `s3://bucket[/prefix]`, `https://host/path`, `file:///dir` or `ipfs+http(s)://rpc-host:port`.
	pub url: String,
	/// S3 endpoint (`http://127.0.0.1:9000`); default: `AWS_ENDPOINT_URL` or AWS itself.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub endpoint: Option<String>,
	/// S3 region; default: `AWS_REGION` or `us-east-1`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub region: Option<String>,
	/// IPFS gateway to read from; default: the RPC endpoint's own host and port.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub gateway: Option<String>,
	/// AWS profile whose credentials (and region) S3 uses, from the shared credentials and
	/// config files; default: `AWS_PROFILE`, else the environment's keys, else `default`.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub profile: Option<String>,
}

/// Settings of a remote besides its name and URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteSettings {
	/// S3 endpoint.
	pub endpoint: Option<String>,
	/// S3 region.
	pub region: Option<String>,
	/// AWS profile (S3).
	pub profile: Option<String>,
	/// IPFS gateway.
	pub gateway: Option<String>,
}

/// What kind of storage a remote is, parsed from its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteKind {
	/// An S3 bucket and key prefix (`""` or ending in `/`).
	S3 {
		/// The bucket.
		bucket: String,
		/// Key prefix.
		prefix: String,
	},
	/// A read-only HTTP(S) mirror laid out like the others.
	Http(Url),
	/// A local directory.
	File(std::path::PathBuf),
	/// A kubo-compatible node: `api` for `add`, `gateway` for reads.
	Ipfs {
		/// RPC base URL (`http://127.0.0.1:5001`).
		api: Url,
		/// Gateway base URL.
		gateway: Url,
	},
}

impl Remote {
	/// A remote, checked: its name, URL and settings must make sense together.
	pub fn new(name: &str, url: &str, settings: RemoteSettings) -> Result<Remote, StorageError> {
		let valid_name = !name.is_empty()
			&& name.len() <= MAX_REMOTE_NAME
			&& name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
		if !valid_name {
			return Err(StorageError::BadRemote {
				name: name.to_owned(),
				reason: format!("names are 1-{MAX_REMOTE_NAME} letters, digits, '-' or '_'"),
			});
		}
		let RemoteSettings { endpoint, region, profile, gateway } = settings;
		let remote = Remote { name: name.to_owned(), url: url.to_owned(), endpoint, region, gateway, profile };
		let s3_only = remote.endpoint.is_some() || remote.region.is_some() || remote.profile.is_some();
		let misplaced = match remote.kind()? {
			RemoteKind::S3 { .. } => remote.gateway.is_some().then_some("--gateway is for IPFS remotes"),
			RemoteKind::Ipfs { .. } => s3_only.then_some("--endpoint, --region and --profile are for S3 remotes"),
			_ => (s3_only || remote.gateway.is_some())
				.then_some("--endpoint, --region, --profile and --gateway do not apply to this kind of remote"),
		};
		if let Some(reason) = misplaced {
			return Err(StorageError::BadRemote { name: name.to_owned(), reason: reason.into() });
		}
		if let Some(endpoint) = &remote.endpoint {
			check_plaintext(endpoint, "S3 endpoint")?;
		}
		Ok(remote)
	}

	/// A remote made of a URL alone (`--mirror`).
	pub fn from_url(name: &str, url: &str) -> Result<Remote, StorageError> {
		Self::new(name, url, RemoteSettings::default())
	}

	/// What the URL names.
	pub fn kind(&self) -> Result<RemoteKind, StorageError> {
		let url = Url::parse(&self.url).map_err(|e| StorageError::bad_uri(&self.url, format!("not a URL: {e}")))?;
		if url.query().is_some() || url.fragment().is_some() {
			return Err(StorageError::bad_uri(&self.url, "a query or fragment is not allowed in a remote URL"));
		}
		match url.scheme() {
			"s3" => {
				let bucket = url
					.host_str()
					.filter(|b| !b.is_empty())
					.ok_or_else(|| StorageError::bad_uri(&self.url, "names no bucket (s3://BUCKET[/PREFIX])"))?;
				let mut prefix = url.path().trim_matches('/').to_owned();
				if !prefix.is_empty() {
					prefix.push('/');
				}
				Ok(RemoteKind::S3 { bucket: bucket.to_owned(), prefix })
			}
			"http" | "https" => Ok(RemoteKind::Http(with_trailing_slash(url))),
			"file" => url
				.to_file_path()
				.map(RemoteKind::File)
				.map_err(|()| StorageError::bad_uri(&self.url, "not a local directory path")),
			"ipfs+http" | "ipfs+https" => {
				let scheme = &url.scheme()["ipfs+".len()..];
				let api = Url::parse(&format!("{scheme}://{}", &self.url[url.scheme().len() + 3..]))
					.map_err(|e| StorageError::bad_uri(&self.url, e.to_string()))?;
				check_plaintext(api.as_str(), "IPFS RPC endpoint")?;
				let gateway = match &self.gateway {
					Some(gateway) => {
						Url::parse(gateway).map_err(|e| StorageError::bad_uri(gateway, format!("not a URL: {e}")))?
					}
					None => api.clone(),
				};
				Ok(RemoteKind::Ipfs { api: with_trailing_slash(api), gateway: with_trailing_slash(gateway) })
			}
			other => Err(StorageError::bad_uri(
				&self.url,
				format!("unsupported remote scheme {other}:// (s3://, https://, file:// and ipfs+http(s):// are)"),
			)),
		}
	}

	/// The URI an artifact with `digest` (and UnixFS `cid`) has on this remote. IPFS stores by
	/// CID, so without one an IPFS remote has no URI for it.
	pub fn object_uri(&self, digest: &ArtifactDigest, cid: Option<&Cid>) -> Result<Option<String>, StorageError> {
		let key = object_key(digest);
		Ok(match self.kind()? {
			RemoteKind::S3 { bucket, prefix } => Some(format!("s3://{bucket}/{prefix}{key}")),
			RemoteKind::Http(base) => Some(format!("{base}{key}")),
			RemoteKind::File(dir) => Url::from_file_path(dir.join(&key)).ok().map(String::from),
			RemoteKind::Ipfs { .. } => cid.map(|cid| format!("ipfs://{cid}")),
		})
	}
}

/// The key an artifact is stored under, relative to a remote's prefix:
/// `<algorithm>/<first two hex digits>/<the other 62>` (two levels, as git and DVC do, so no
/// directory grows huge).
pub fn object_key(digest: &ArtifactDigest) -> String {
	let hex = hex::encode(digest.bytes);
	format!("{}/{}/{}", digest.algorithm.as_str(), &hex[..2], &hex[2..])
}

fn with_trailing_slash(mut url: Url) -> Url {
	if !url.path().ends_with('/') {
		let path = format!("{}/", url.path());
		url.set_path(&path);
	}
	url
}

/// Plaintext HTTP only to this machine: credentials and `add` requests would travel in clear.
fn check_plaintext(url: &str, what: &str) -> Result<(), StorageError> {
	let parsed = Url::parse(url).map_err(|e| StorageError::bad_uri(url, format!("{what} is not a URL: {e}")))?;
	match (parsed.scheme(), parsed.host()) {
		("https", Some(_)) => Ok(()),
		("http", Some(host)) if is_loopback_host(&host) => Ok(()),
		("http", Some(_)) => Err(StorageError::bad_uri(
			url,
			format!("{what} over plaintext http:// is only allowed to this machine; use https://"),
		)),
		_ => Err(StorageError::bad_uri(url, format!("{what} must be an http(s):// URL with a host"))),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use zoo_primitives::DigestAlgorithm;

	const DIGEST: ArtifactDigest = ArtifactDigest { algorithm: DigestAlgorithm::Sha2_256, bytes: [0xab; 32] };

	#[test]
	fn content_addressed_uris() {
		let s3 = Remote::new(
			"s3",
			"s3://bucket/models",
			RemoteSettings { endpoint: Some("http://127.0.0.1:9000".into()), ..Default::default() },
		)
		.unwrap();
		let hex = "ab".repeat(32);
		assert_eq!(
			s3.object_uri(&DIGEST, None).unwrap().unwrap(),
			format!("s3://bucket/models/sha2-256/ab/{}", &hex[2..])
		);
		let http = Remote::from_url("mirror", "https://host/zoo").unwrap();
		assert_eq!(
			http.object_uri(&DIGEST, None).unwrap().unwrap(),
			format!("https://host/zoo/sha2-256/ab/{}", &hex[2..])
		);
		let file = Remote::from_url("local", "file:///srv/zoo").unwrap();
		assert_eq!(
			file.object_uri(&DIGEST, None).unwrap().unwrap(),
			format!("file:///srv/zoo/sha2-256/ab/{}", &hex[2..])
		);
		let ipfs = Remote::from_url("ipfs", "ipfs+http://127.0.0.1:5001").unwrap();
		assert_eq!(ipfs.object_uri(&DIGEST, None).unwrap(), None);
		let cid: Cid = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e".parse().unwrap();
		assert_eq!(ipfs.object_uri(&DIGEST, Some(&cid)).unwrap().unwrap(), format!("ipfs://{cid}"));
		let RemoteKind::Ipfs { api, gateway } = ipfs.kind().unwrap() else { panic!("an IPFS remote") };
		assert_eq!((api.as_str(), gateway.as_str()), ("http://127.0.0.1:5001/", "http://127.0.0.1:5001/"));
	}

	#[test]
	fn refuses_bad_remotes() {
		for (name, url, endpoint, gateway, needle) in [
			("", "s3://b", None, None, "names are"),
			("a/b", "s3://b", None, None, "names are"),
			("r", "s3://", None, None, "names no bucket"),
			("r", "ftp://host/x", None, None, "unsupported remote scheme"),
			("r", "s3://b", Some("http://example.com:9000"), None, "plaintext"),
			("r", "ipfs+http://example.com:5001", None, None, "plaintext"),
			("r", "s3://b", None, Some("http://127.0.0.1:8080"), "--gateway is for IPFS"),
			("r", "https://h/x", Some("https://e"), None, "do not apply"),
			("r", "ipfs+http://127.0.0.1:5001", Some("https://e"), None, "are for S3 remotes"),
			("r", "https://h/x?a=1", None, None, "query"),
		] {
			let settings = RemoteSettings {
				endpoint: endpoint.map(String::from),
				gateway: gateway.map(String::from),
				..Default::default()
			};
			let err = Remote::new(name, url, settings).unwrap_err().to_string();
			assert!(err.contains(needle), "{name} {url}: {err}");
		}
	}
}
