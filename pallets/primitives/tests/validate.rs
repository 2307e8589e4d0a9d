//! Rejections of non-canonical manifests and of IDs that are not Zoo version IDs.

use codec::Encode;
use zoo_primitives::{testing::*, *};

fn base() -> Manifest {
	ManifestBuilder::new("acme/model").paths(&["a.bin", "b/c.bin"]).spdx("MIT").message("m").build()
}

#[test]
fn base_is_valid() {
	assert_eq!(base().validate(), Ok(()));
}

fn with_header(mut license: License, header: &str) -> License {
	if let License::Sealed { files, .. } = &mut license {
		for file in files.iter_mut() {
			file.owner_header = bytes(header);
		}
	}
	license
}

#[test]
fn sealed_versions_describe_plaintext_and_keep_old_encodings() {
	let mut manifest = base();
	let plain_id = manifest.id();
	assert_eq!(manifest.content_of(1), Some((1, manifest.artifacts[1].digest.clone())));
	manifest.license = sealed(3, &[1]);
	assert_eq!(manifest.validate(), Ok(()));
	assert_eq!(manifest.license.terms(), Some(3));
	assert!(manifest.sealed_file(0).is_none());
	let (size, digest) = manifest.content_of(1).unwrap();
	assert_eq!((size, digest.bytes, digest.algorithm), (2, [9; 32], DigestAlgorithm::Sha2_256));
	assert_eq!(manifest.content_of(2), None);
	assert_ne!(manifest.id(), plain_id);
	// `Sealed` is a new variant: the three older ones encode as before (index bytes 0, 1, 2).
	assert_eq!(License::Terms(3).encode()[0], 2);
	assert_eq!(manifest.license.encode()[0], 3);
}

#[test]
fn every_rule_has_its_error() {
	let cases: Vec<(&str, Box<dyn Fn(&mut Manifest)>, ManifestError)> = vec![
		("model name", Box::new(|m| m.model = bytes("Acme/Model")), ManifestError::InvalidModelName),
		(
			"duplicate parent",
			Box::new(|m| {
				let parent = Parent { id: VersionId([1; 32]), edge: EdgeKind::Merge };
				m.parents = vec![parent.clone(), parent].try_into().unwrap();
			}),
			ManifestError::DuplicateParent,
		),
		("absolute path", Box::new(|m| m.artifacts[0].path = bytes("/etc/passwd")), ManifestError::InvalidPath),
		("dot-dot path", Box::new(|m| m.artifacts[0].path = bytes("../x")), ManifestError::InvalidPath),
		("empty part", Box::new(|m| m.artifacts[0].path = bytes("a//b")), ManifestError::InvalidPath),
		("dot part", Box::new(|m| m.artifacts[0].path = bytes("./a")), ManifestError::InvalidPath),
		("empty path", Box::new(|m| m.artifacts[0].path = bytes("")), ManifestError::InvalidPath),
		(
			"non-utf8 path",
			Box::new(|m| m.artifacts[0].path = vec![0xff].try_into().unwrap()),
			ManifestError::InvalidPath,
		),
		(
			"unsorted",
			Box::new(|m| m.artifacts = vec![artifact("b"), artifact("a")].try_into().unwrap()),
			ManifestError::ArtifactsNotSorted,
		),
		("same path twice", Box::new(|m| m.artifacts[1].path = bytes("a.bin")), ManifestError::ArtifactsNotSorted),
		("uri without scheme", Box::new(|m| m.artifacts[0].uri = bytes("/x")), ManifestError::InvalidUri),
		("uri bad scheme", Box::new(|m| m.artifacts[0].uri = bytes("1x:/y")), ManifestError::InvalidUri),
		(
			"digest algorithm",
			Box::new(|m| m.artifacts[0].digest.algorithm = DigestAlgorithm::Blake3),
			ManifestError::DigestAlgorithmMismatch,
		),
		("shard size", Box::new(|m| m.hashing.shard_size = Some(4096)), ManifestError::ShardTooSmall),
		(
			"metric name",
			Box::new(|m| m.metrics = vec![Metric { name: bytes("Acc"), value: MetricValue(1) }].try_into().unwrap()),
			ManifestError::InvalidKey,
		),
		(
			"metrics order",
			Box::new(|m| {
				m.metrics = vec![
					Metric { name: bytes("b"), value: MetricValue(1) },
					Metric { name: bytes("a"), value: MetricValue(1) },
				]
				.try_into()
				.unwrap()
			}),
			ManifestError::MetricsNotSorted,
		),
		(
			"tags order",
			Box::new(|m| {
				m.tags = vec![Tag { key: bytes("k"), value: bytes("1") }, Tag { key: bytes("k"), value: bytes("2") }]
					.try_into()
					.unwrap()
			}),
			ManifestError::TagsNotSorted,
		),
		(
			"tag value utf8",
			Box::new(|m| {
				m.tags = vec![Tag { key: bytes("k"), value: vec![0xc3].try_into().unwrap() }].try_into().unwrap()
			}),
			ManifestError::InvalidText,
		),
		("message utf8", Box::new(|m| m.message = vec![0xff].try_into().unwrap()), ManifestError::InvalidText),
		("empty license", Box::new(|m| m.license = License::Spdx(bytes(" "))), ManifestError::InvalidText),
		("nothing sealed", Box::new(|m| m.license = sealed(1, &[])), ManifestError::NothingSealed),
		("sealed order", Box::new(|m| m.license = sealed(1, &[1, 0])), ManifestError::SealedFilesNotSorted),
		("sealed twice", Box::new(|m| m.license = sealed(1, &[0, 0])), ManifestError::SealedFilesNotSorted),
		("sealed unknown", Box::new(|m| m.license = sealed(1, &[0, 2])), ManifestError::UnknownSealedArtifact),
		(
			"seal header without version line",
			Box::new(|m| m.license = with_header(sealed(1, &[0]), "-> X25519 a\nb\n--- c\n")),
			ManifestError::InvalidSealHeader,
		),
		(
			"seal header without MAC",
			Box::new(|m| m.license = with_header(sealed(1, &[0]), "age-encryption.org/v1\n-> X25519 a\nb\n")),
			ManifestError::InvalidSealHeader,
		),
		(
			"seal header with empty MAC",
			Box::new(|m| m.license = with_header(sealed(1, &[0]), "age-encryption.org/v1\n-> X25519 a\nb\n--- \n")),
			ManifestError::InvalidSealHeader,
		),
		(
			"seal header not text",
			Box::new(|m| {
				let mut license = sealed(1, &[0]);
				if let License::Sealed { files, .. } = &mut license {
					files[0].owner_header = vec![0xff].try_into().unwrap();
				}
				m.license = license
			}),
			ManifestError::InvalidSealHeader,
		),
	];
	for (what, mutate, error) in cases {
		let mut manifest = base();
		mutate(&mut manifest);
		assert_eq!(manifest.validate(), Err(error), "{what}");
	}
}

#[test]
fn cid_text_round_trips_and_rejects_other_cids() {
	let id = base().id();
	let text = id.to_cid_string();
	assert!(text.starts_with("bafkrei"), "{text}");
	assert_eq!(text.parse::<VersionId>(), Ok(id));
	assert_eq!(VersionId::from_cid_bytes(&id.to_cid_bytes()), Ok(id));

	// CIDv0 (a dag-pb sha2-256 in base58btc).
	assert_eq!("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG".parse::<VersionId>(), Err(CidError::NotCidV1));
	// CIDv1 with the dag-pb codec.
	assert_eq!(
		"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi".parse::<VersionId>(),
		Err(CidError::NotRawCodec)
	);
	// CIDv1 raw with a blake3 multihash (0x1e).
	let mut blake = id.to_cid_bytes();
	blake[2] = 0x1e;
	assert_eq!(VersionId::from_cid_bytes(&blake), Err(CidError::NotSha2_256));
	assert_eq!(VersionId::from_cid_bytes(&blake[..30]), Err(CidError::WrongLength));
	for junk in ["", "bafk", "not a cid", "zzzz", &text[..text.len() - 1]] {
		assert!(junk.parse::<VersionId>().is_err(), "{junk:?}");
	}
}

#[test]
fn edge_and_artifact_kinds_round_trip_their_names() {
	for kind in EdgeKind::ALL {
		assert_eq!(EdgeKind::from_name(kind.as_str()), Some(kind));
	}
	for kind in ArtifactKind::ALL {
		assert_eq!(ArtifactKind::from_name(kind.as_str()), Some(kind));
	}
	assert_eq!(EdgeKind::from_name("fork"), None);
}

/// The audit's hostile paths (F-02, F-20): tool control files, look-alike and colliding names,
/// characters that rewrite a terminal or mean something else on other systems.
#[test]
fn hostile_artifact_paths_are_refused() {
	let invalid = [
		"a\u{1b}[8m",
		"a\rb",
		"a\nb",
		"a\u{7f}",
		"a\u{85}b",
		"a\u{202e}txt.exe",
		"..\\..\\x",
		"C:x",
		"sub/name.",
		"sub/name ",
		"a\\b",
		"cafe\u{301}.bin",
		"/abs",
		"a//b",
		"./a",
		"a/..",
		".git./config",
		".git /config",
	];
	for path in invalid {
		assert_eq!(validate_path(path.as_bytes()), Err(ManifestError::InvalidPath), "{path:?}");
	}
	let reserved = [
		".git/config",
		".git",
		"sub/.git/HEAD",
		".GIT/hooks/x",
		"git~1/config",
		"GIT~2/x",
		".hg/hgrc",
		".svn/entries",
		".zoo/config.json",
		".ZOO/x",
		".bzr/x",
		".jj/repo",
		"_darcs/x",
		".dvc/config",
		".envrc",
		".vscode/tasks.json",
		".idea/workspace.xml",
	];
	for path in reserved {
		assert_eq!(validate_path(path.as_bytes()), Err(ManifestError::ReservedPath), "{path:?}");
	}
	for fine in [
		"café.bin",
		"model.safetensors",
		".gitignore",
		".github/x",
		"git/x",
		"a.git/x",
		"dir/.hidden",
		"日本語/重み.bin",
	] {
		assert_eq!(validate_path(fine.as_bytes()), Ok(()), "{fine:?}");
	}

	let paths = |list: &[&str]| {
		let mut sorted = list.to_vec();
		sorted.sort();
		let mut manifest = base();
		manifest.artifacts = sorted.iter().map(|p| artifact(p)).collect::<Vec<_>>().try_into().unwrap();
		manifest.validate()
	};
	assert_eq!(paths(&["A.bin", "a.bin"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["CAFÉ.bin", "café.bin"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["a", "a/b"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["a", "a-b", "a/b"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["A", "a/b"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["a/b/c", "a/B"]), Err(ManifestError::PathCollision));
	assert_eq!(paths(&["a.bin", "b/a.bin", "b/c.bin"]), Ok(()));
}

#[test]
fn edge_rules_need_only_the_parents_models() {
	let parent = |edge| Parent { id: VersionId([1; 32]), edge };
	let check = |parents: &[(Parent, Option<&str>)], max| {
		check_edges(b"acme/m", parents.iter().map(|(p, model)| (p, model.map(str::as_bytes))), max)
	};
	assert_eq!(check(&[(parent(EdgeKind::Revision), Some("acme/m"))], 16), Ok(()));
	assert_eq!(check(&[(parent(EdgeKind::Finetune), Some("other/base"))], 16), Ok(()));
	assert_eq!(check(&[(parent(EdgeKind::Revision), Some("other/base"))], 16), Err(EdgeError::RevisionAcrossModels));
	assert_eq!(check(&[(parent(EdgeKind::Merge), Some("acme/m"))], 16), Err(EdgeError::MergeNeedsTwoParents));
	assert_eq!(check(&[(parent(EdgeKind::Revision), None)], 16), Err(EdgeError::UnknownParent));
	let two = [(parent(EdgeKind::Merge), Some("acme/m")), (parent(EdgeKind::Merge), Some("other/x"))];
	assert_eq!(check(&two, 16), Ok(()));
	assert_eq!(check(&two, 1), Err(EdgeError::TooManyParents));
}
