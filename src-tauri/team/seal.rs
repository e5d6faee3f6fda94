//! What the team folder's files are sealed with: a key derived from the
//! team passphrase with Argon2id (memory-hard, so a copied folder cannot be
//! tried against many passphrases cheaply), and XChaCha20-Poly1305 per file
//! with a random 24-byte nonce (random nonces are safe at this size, so no
//! counter has to be kept in step across PCs). A file is `nonce ‖ sealed`;
//! one changed or cut byte and it does not open.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const NONCE: usize = 24;

/// The key every member derives from the team passphrase and the folder's salt.
pub struct TeamKey {
    cipher: XChaCha20Poly1305,
    bytes: [u8; 32],
}

impl TeamKey {
    pub fn derive(passphrase: &str, salt: &[u8; 16]) -> TeamKey {
        let mut key = [0u8; 32];
        argon2::Argon2::default().hash_password_into(passphrase.as_bytes(), salt, &mut key).expect("a 32-byte key from a 16-byte salt");
        TeamKey::from_bytes(key)
    }

    /// The key as kept in the member's own data folder (so a sync does not
    /// ask for the passphrase; that folder holds the same notebooks in clear).
    pub fn from_bytes(bytes: [u8; 32]) -> TeamKey {
        TeamKey { cipher: XChaCha20Poly1305::new((&bytes).into()), bytes }
    }

    pub fn bytes(&self) -> [u8; 32] {
        self.bytes
    }

    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).expect("the system's random source");
        let mut out = nonce.to_vec();
        out.extend(self.cipher.encrypt(&XNonce::from(nonce), plain).expect("sealing cannot fail"));
        out
    }

    /// `None` when `sealed` was made with another key, or is cut or changed.
    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        let (nonce, body) = sealed.split_at_checked(NONCE)?;
        self.cipher.decrypt(&XNonce::from(<[u8; NONCE]>::try_from(nonce).ok()?), body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_only_whole_and_with_the_same_passphrase() {
        let key = TeamKey::derive("春风十里", &[3; 16]);
        let sealed = key.seal("王伟 13800001111".as_bytes());
        assert!(!sealed.windows(3).any(|w| w == "王".as_bytes()) && !sealed.windows(4).any(|w| w == b"1380"));
        assert_eq!(key.open(&sealed).unwrap(), "王伟 13800001111".as_bytes());
        assert!(TeamKey::derive("春风十里 ", &[3; 16]).open(&sealed).is_none(), "another passphrase");
        assert!(TeamKey::derive("春风十里", &[4; 16]).open(&sealed).is_none(), "another salt");
        assert!(key.open(&sealed[..sealed.len() - 1]).is_none(), "cut");
        assert!(key.open(&sealed[..10]).is_none(), "shorter than a nonce");
        let mut changed = sealed.clone();
        changed[30] ^= 1;
        assert!(key.open(&changed).is_none(), "changed");
        assert_ne!(key.seal(b"same"), key.seal(b"same"), "a fresh nonce each time");
    }
}
