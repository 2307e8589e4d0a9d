//! Sealed artifacts interoperate with the reference age implementation (Debian's `age`, Go,
//! installed by `scripts/setup.sh`): what zoo seals and re-wraps, `age -d` opens; what `age`
//! encrypts, zoo opens.

use std::{io::Read, path::Path, process::Command};
use zoo_client::seal::{SealIdentity, open, rewrap, seal};

fn age(args: &[&str]) -> std::process::Output {
	Command::new("age").args(args).output().expect("`age` is installed (scripts/setup.sh installs it)")
}

fn write(path: &Path, bytes: &[u8]) -> String {
	std::fs::write(path, bytes).unwrap();
	path.to_str().unwrap().to_owned()
}

#[test]
fn the_reference_age_opens_sealed_and_released_files_and_zoo_opens_age_files() {
	let dir = tempfile::tempdir().unwrap();
	let owner = SealIdentity::from_account_secret("//Alice");
	let grantee = SealIdentity::from_account_secret("//Bob");
	let owner_key = write(&dir.path().join("owner.key"), owner.to_age_secret().as_bytes());
	let grantee_key = write(&dir.path().join("grantee.key"), grantee.to_age_secret().as_bytes());
	// Several 64 KiB chunks and a short last one.
	let plaintext: Vec<u8> = (0..300_000usize).map(|i| (i * 31 + 7) as u8).collect();
	let mut payload = Vec::new();
	let header = seal(&mut &plaintext[..], &mut payload, &owner).unwrap();

	// The owner's header in front of the stored payload is an age file for the owner.
	let owned = write(&dir.path().join("owned.age"), &[&header[..], &payload[..]].concat());
	let opened = age(&["-d", "-i", &owner_key, &owned]);
	assert!(opened.status.success(), "{}", String::from_utf8_lossy(&opened.stderr));
	assert!(opened.stdout == plaintext, "content differs");
	assert!(!age(&["-d", "-i", &grantee_key, &owned]).status.success(), "the grantee opened the owner's file");

	// A released header opens the same payload for the grantee, and no longer for the owner.
	let released = rewrap(&header, &owner, grantee.recipient()).unwrap();
	let granted = write(&dir.path().join("granted.age"), &[&released[..], &payload[..]].concat());
	let opened = age(&["-d", "-i", &grantee_key, &granted]);
	assert!(opened.status.success(), "{}", String::from_utf8_lossy(&opened.stderr));
	assert!(opened.stdout == plaintext, "content differs");
	assert!(!age(&["-d", "-i", &owner_key, &granted]).status.success(), "the owner opened the grantee's file");

	// What the reference encrypts to a zoo recipient, zoo opens (header and payload split at
	// the MAC line, as a sealed artifact stores them).
	let input = write(&dir.path().join("plain.bin"), &plaintext);
	let encrypted = dir.path().join("by-age.age");
	let recipient = owner.recipient().to_string();
	let made = age(&["-r", &recipient, "-o", encrypted.to_str().unwrap(), &input]);
	assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
	let file = std::fs::read(&encrypted).unwrap();
	let mac_line = file.windows(5).position(|w| w == b"\n--- ").unwrap() + 1;
	let header_end = mac_line + file[mac_line..].iter().position(|&b| b == b'\n').unwrap() + 1;
	let mut decrypted = Vec::new();
	open(&file[..header_end], &file[header_end..], &owner).unwrap().read_to_end(&mut decrypted).unwrap();
	assert!(decrypted == plaintext, "content differs");
	// And zoo re-wraps a header the reference wrote.
	let released = rewrap(&file[..header_end], &owner, grantee.recipient()).unwrap();
	let mut decrypted = Vec::new();
	open(&released, &file[header_end..], &grantee).unwrap().read_to_end(&mut decrypted).unwrap();
	assert!(decrypted == plaintext, "content differs");
}
