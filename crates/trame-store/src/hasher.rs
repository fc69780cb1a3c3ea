//! Password hashing (argon2id) on two dedicated threads, each reusing one working-memory
//! block.
//!
//! argon2id needs 19 MiB of working memory per hash. Letting the crate allocate it on every
//! call made glibc keep the freed blocks: a server measured 170 MiB after a few logins
//! against 12 MiB before. Each worker here allocates its block once and reuses it, so the
//! cost is bounded to two blocks (`bench/startup.sh` measures the idle server).
//!
//! Hashes are stored as standard PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`), which
//! any argon2 implementation can verify.

use crate::StoreError;
use argon2::password_hash::{Output, PasswordHash, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// Number of hashing threads: enough for the 2-core reference machine.
const WORKERS: usize = 2;

thread_local! {
    /// The worker's argon2 working memory, grown once to the parameters' size.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn pool() -> &'static Mutex<Sender<Job>> {
    static POOL: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let rx: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(rx));
        for i in 0..WORKERS {
            let rx = Arc::clone(&rx);
            let _ = std::thread::Builder::new()
                .name(format!("trame-argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
        }
        Mutex::new(tx)
    })
}

/// Runs `f` on a hashing thread and awaits its result.
async fn on_pool<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, StoreError> {
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    pool()
        .lock()
        .map_err(|_| StoreError::Internal("hashing pool poisoned".into()))?
        .send(job)
        .map_err(|_| StoreError::Internal("hashing pool stopped".into()))?;
    rx.await
        .map_err(|_| StoreError::Internal("hashing job dropped".into()))
}

/// argon2id with `params` into `out`, using this thread's reusable memory.
fn compute(password: &[u8], salt: &[u8], params: Params, out: &mut [u8]) -> Result<(), String> {
    let blocks = params.block_count();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        let slice = memory.get_mut(..blocks).ok_or("memory block too small")?;
        argon
            .hash_password_into_with_memory(password, salt, out, slice)
            .map_err(|e| e.to_string())
    })
}

fn hash_now(password: &[u8]) -> Result<String, String> {
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    compute(password, salt_raw, params.clone(), &mut out)?;
    let output = Output::new(&out).map_err(|e| e.to_string())?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str(),
        output
    ))
}

fn verify_now(password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return false;
    }
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_raw) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if compute(password, salt_raw, params, &mut out).is_err() {
        return false;
    }
    // `Output` compares in constant time.
    Output::new(&out).is_ok_and(|got| got == expected)
}

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes).
pub async fn hash_password(password: String) -> Result<String, StoreError> {
    on_pool(move || hash_now(password.as_bytes()))
        .await?
        .map_err(|e| StoreError::Internal(format!("argon2 hash: {e}")))
}

/// Whether `password` matches the stored `hash`.
pub async fn verify_password(password: String, hash: String) -> bool {
    on_pool(move || verify_now(password.as_bytes(), &hash))
        .await
        .unwrap_or(false)
}

/// Spends the time of a verification on a decoy hash, so that an unknown email answers as
/// slowly as a wrong password.
pub async fn verify_against_decoy(password: String) {
    static DECOY: OnceLock<String> = OnceLock::new();
    let _ = on_pool(move || {
        let decoy =
            DECOY.get_or_init(|| hash_now(b"decoy password never used").unwrap_or_default());
        verify_now(password.as_bytes(), decoy)
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[test]
    fn hashes_are_standard_phc_strings() {
        let h = hash_now(b"cheval agrafe batterie correcte").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        // The argon2 crate's own verifier accepts them, and ours accepts its hashes.
        let parsed = PasswordHash::new(&h).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"cheval agrafe batterie correcte", &parsed)
                .is_ok()
        );
        assert!(verify_now(b"cheval agrafe batterie correcte", &h));
        assert!(!verify_now(b"cheval agrafe batterie correcta", &h));
        let theirs = {
            use argon2::PasswordHasher;
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"autre phrase", &salt)
                .unwrap()
                .to_string()
        };
        assert!(verify_now(b"autre phrase", &theirs));
        assert!(!verify_now(
            b"autre phrase",
            "$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"
        ));
        assert!(!verify_now(b"x", "pas un hachage"));
    }
}
