//! Object stores for locations and remotes: S3 and HTTP(S) through `object_store` (rustls with
//! ring, retries with backoff, ranged reads pinned to an ETag), local files read directly.

use super::{Location, Remote, RemoteKind, StorageError, install_tls_provider, is_loopback_host};
use object_store::{
	BackoffConfig, ClientOptions, ObjectStore, RetryConfig, aws::AmazonS3Builder, http::HttpBuilder,
	local::LocalFileSystem, path::Path as ObjectPath,
};
use std::{path::PathBuf, sync::Arc, time::Duration};
use url::Url;

/// How transfers behave.
#[derive(Debug, Clone)]
pub struct TransferSettings {
	/// Connecting, and waiting for the next bytes of an answer, may take at most this long.
	pub timeout: Duration,
	/// Attempts per source before moving on to the next (the first try included).
	pub attempts: u32,
	/// First pause between attempts; doubled after each.
	pub backoff: Duration,
	/// Files transferred at the same time.
	pub jobs: usize,
}

impl Default for TransferSettings {
	fn default() -> Self {
		Self { timeout: Duration::from_secs(30), attempts: 4, backoff: Duration::from_millis(250), jobs: 4 }
	}
}

/// Something artifact bytes can be read from.
#[derive(Debug, Clone)]
pub enum Source {
	/// An object in a store.
	Object {
		/// The store.
		store: Arc<dyn ObjectStore>,
		/// The object in it.
		path: ObjectPath,
		/// The URI, for messages and checkpoints.
		uri: String,
	},
	/// A local file.
	File {
		/// Its path.
		path: PathBuf,
		/// The URI.
		uri: String,
	},
}

impl Source {
	/// The URI this reads.
	pub fn uri(&self) -> &str {
		match self {
			Self::Object { uri, .. } | Self::File { uri, .. } => uri,
		}
	}
}

/// Builds stores; knows the workspace's remotes so an `s3://` URI of a remote's bucket uses that
/// remote's endpoint and region, and `ipfs://` URIs an IPFS remote's gateway.
#[derive(Debug, Clone, Default)]
pub struct Stores {
	remotes: Vec<Remote>,
	settings: TransferSettings,
}

impl Stores {
	/// Stores for a workspace with `remotes`.
	pub fn new(remotes: Vec<Remote>, settings: TransferSettings) -> Self {
		install_tls_provider();
		Self { remotes, settings }
	}

	/// The transfer settings.
	pub fn settings(&self) -> &TransferSettings {
		&self.settings
	}

	/// The remotes, in the order they were added.
	pub fn remotes(&self) -> &[Remote] {
		&self.remotes
	}

	fn client_options(&self) -> ClientOptions {
		// Also here, not only in `new`: a `Stores::default()` must work too.
		install_tls_provider();
		// No total timeout: a large object takes as long as it takes; a stalled one is caught by
		// the read timeout.
		ClientOptions::new()
			.with_timeout_disabled()
			.with_connect_timeout(self.settings.timeout)
			.with_read_timeout(self.settings.timeout)
	}

	fn retry(&self) -> RetryConfig {
		// Few retries inside object_store: fetch retries (and resumes) on top, then tries mirrors.
		RetryConfig {
			backoff: BackoffConfig { init_backoff: self.settings.backoff, ..Default::default() },
			max_retries: 2,
			retry_timeout: self.settings.timeout,
		}
	}

	/// Where `uri` can be read from.
	pub fn source(&self, uri: &str) -> Result<Source, StorageError> {
		match Location::parse(uri)? {
			Location::File(path) => Ok(Source::File { path, uri: uri.to_owned() }),
			Location::S3 { bucket, key } => {
				let store = self.s3(self.s3_remote_for(&bucket, &key), &bucket, uri)?;
				let path = ObjectPath::parse(&key).map_err(|e| StorageError::bad_uri(uri, e.to_string()))?;
				Ok(Source::Object { store, path, uri: uri.to_owned() })
			}
			Location::Http(url) => self.http_source(&url, uri),
			Location::Ipfs(cid) => {
				let gateway = self.gateway().ok_or_else(|| StorageError::NoGateway { uri: uri.to_owned() })?;
				let url =
					gateway.join(&format!("ipfs/{cid}")).map_err(|e| StorageError::bad_uri(uri, e.to_string()))?;
				self.http_source(&url, uri)
			}
		}
	}

	/// The gateway `ipfs://` URIs are read through: the first IPFS remote's, else `ZOO_IPFS_GATEWAY`.
	pub fn gateway(&self) -> Option<Url> {
		let from_remote = self.remotes.iter().find_map(|remote| match remote.kind() {
			Ok(RemoteKind::Ipfs { gateway, .. }) => Some(gateway),
			_ => None,
		});
		from_remote.or_else(|| std::env::var("ZOO_IPFS_GATEWAY").ok().and_then(|text| Url::parse(&text).ok()))
	}

	fn http_source(&self, url: &Url, uri: &str) -> Result<Source, StorageError> {
		let origin = url.origin().ascii_serialization();
		let store = HttpBuilder::new()
			.with_url(origin)
			.with_client_options(self.client_options().with_allow_http(true))
			.with_retry(self.retry())
			.build()
			.map_err(|e| StorageError::bad_uri(uri, e.to_string()))?;
		let path = ObjectPath::from_url_path(url.path()).map_err(|e| StorageError::bad_uri(uri, e.to_string()))?;
		Ok(Source::Object { store: Arc::new(store), path, uri: uri.to_owned() })
	}

	/// The remote whose settings an `s3://bucket/key` URI uses: of those on `bucket`, the one
	/// with the longest prefix of `key`.
	fn s3_remote_for(&self, bucket: &str, key: &str) -> Option<&Remote> {
		self.remotes
			.iter()
			.filter_map(|remote| match remote.kind() {
				Ok(RemoteKind::S3 { bucket: b, prefix }) if b == bucket && key.starts_with(&prefix) => {
					Some((prefix.len(), remote))
				}
				_ => None,
			})
			.max_by_key(|(length, _)| *length)
			.map(|(_, remote)| remote)
	}

	/// A store for S3 `bucket` with `remote`'s settings (endpoint, region, profile), else the
	/// environment's.
	pub fn s3(&self, remote: Option<&Remote>, bucket: &str, uri: &str) -> Result<Arc<dyn ObjectStore>, StorageError> {
		let env = |key: &str| std::env::var(key).ok().filter(|value| !value.is_empty());
		let skip_signature = env("AWS_SKIP_SIGNATURE").is_some_and(|v| v.eq_ignore_ascii_case("true"));
		// Client options first: with_allow_http below is one of them.
		let mut builder = AmazonS3Builder::from_env()
			.with_bucket_name(bucket)
			.with_client_options(self.client_options())
			.with_retry(self.retry());
		// Keys: the remote's profile, else the environment's keys, else AWS_PROFILE or `default`
		// from the shared files. Without any, object_store would ask the cloud metadata
		// endpoint: say so instead.
		let named = remote.and_then(|r| r.profile.clone()).or_else(|| env("AWS_PROFILE"));
		let profile = match (&named, env("AWS_ACCESS_KEY_ID")) {
			(Some(name), _) => Some(aws_profile(name)?.ok_or_else(|| StorageError::Profile {
				profile: name.clone(),
				reason: format!("not in {}", credentials_file().display()),
			})?),
			(None, Some(_)) => None,
			(None, None) => aws_profile("default")?,
		};
		let mut profile_region = None;
		match profile {
			Some(profile) => {
				builder = builder.with_access_key_id(profile.key_id).with_secret_access_key(profile.secret);
				if let Some(token) = profile.token {
					builder = builder.with_token(token);
				}
				profile_region = profile.region;
			}
			None if env("AWS_ACCESS_KEY_ID").is_none() && !skip_signature => {
				return Err(StorageError::NoCredentials { uri: uri.to_owned() });
			}
			None => {}
		}
		let endpoint =
			remote.and_then(|r| r.endpoint.clone()).or_else(|| env("AWS_ENDPOINT_URL")).or_else(|| env("AWS_ENDPOINT"));
		if let Some(endpoint) = endpoint {
			let parsed =
				Url::parse(&endpoint).map_err(|e| StorageError::bad_uri(&endpoint, format!("S3 endpoint: {e}")))?;
			let plaintext = parsed.scheme() == "http";
			if plaintext && !parsed.host().is_some_and(|host| is_loopback_host(&host)) {
				return Err(StorageError::bad_uri(
					&endpoint,
					"S3 over plaintext http:// is only allowed to this machine",
				));
			}
			builder = builder.with_endpoint(endpoint).with_allow_http(plaintext);
		}
		if let Some(region) = remote.and_then(|r| r.region.clone()) {
			builder = builder.with_region(region);
		} else if env("AWS_REGION").is_none() && env("AWS_DEFAULT_REGION").is_none() {
			builder = builder.with_region(profile_region.unwrap_or_else(|| "us-east-1".into()));
		}
		// Skip SigV4's hash of every uploaded byte: the transport is TLS (or this machine), and
		// what is stored is checked against the manifest's digest on every fetch anyway.
		let store =
			builder.with_unsigned_payload(true).build().map_err(|e| StorageError::bad_uri(uri, e.to_string()))?;
		Ok(Arc::new(store))
	}

	/// A store for a local directory (created if missing).
	pub fn local(&self, dir: &std::path::Path) -> Result<Arc<dyn ObjectStore>, StorageError> {
		std::fs::create_dir_all(dir).map_err(|e| StorageError::io(dir, e))?;
		let store =
			LocalFileSystem::new_with_prefix(dir).map_err(|e| StorageError::transfer(&dir.display().to_string(), e))?;
		Ok(Arc::new(store))
	}
}

/// Keys (and region) of one profile of the AWS shared files.
struct AwsProfile {
	key_id: String,
	secret: String,
	token: Option<String>,
	region: Option<String>,
}

fn aws_file(variable: &str, default: &str) -> PathBuf {
	std::env::var_os(variable)
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".aws").join(default))
}

fn credentials_file() -> PathBuf {
	aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

/// Profile `name` of `~/.aws/credentials` (`AWS_SHARED_CREDENTIALS_FILE`), with its region from
/// `~/.aws/config` (`AWS_CONFIG_FILE`; section `[profile NAME]`, or `[default]`). `None` when
/// the file or the section is missing.
fn aws_profile(name: &str) -> Result<Option<AwsProfile>, StorageError> {
	let bad = |reason: String| StorageError::Profile { profile: name.to_owned(), reason };
	let path = credentials_file();
	let credentials = match ini::Ini::load_from_file(&path) {
		Ok(file) => file,
		Err(ini::Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
		Err(e) => return Err(bad(format!("{}: {e}", path.display()))),
	};
	let Some(section) = credentials.section(Some(name)) else { return Ok(None) };
	let key = |key: &str| section.get(key).map(str::to_owned);
	let (Some(key_id), Some(secret)) = (key("aws_access_key_id"), key("aws_secret_access_key")) else {
		return Err(bad(format!("{} has no aws_access_key_id and aws_secret_access_key for it", path.display())));
	};
	let config_section = if name == "default" { name.to_owned() } else { format!("profile {name}") };
	let region = ini::Ini::load_from_file(aws_file("AWS_CONFIG_FILE", "config"))
		.ok()
		.and_then(|config| config.section(Some(config_section)).and_then(|s| s.get("region")).map(str::to_owned));
	Ok(Some(AwsProfile { key_id, secret, token: key("aws_session_token"), region }))
}
