//! `csu-assess key show|export`: this installation's public key, to give
//! the chair (who records it when adding you to a panel) and the BDU office
//! (who enrols it in the BDU's roster under your name).

use csu_assess::keys::{self, Identity};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum Verb {
    /// Print this computer's public key (made on first use) and where the private key is kept.
    Show {
        /// Print the letter-signing key instead: the key a chair's letters are signed with, which the BDU office certifies.
        #[arg(long)]
        letter: bool,
    },
    /// Write this computer's public key, with your name, for the BDU office to enrol (`roster import`).
    Export {
        /// Your name as the BDU knows you.
        #[arg(long)]
        name: String,
        #[arg(short, long)]
        output: PathBuf,
    },
}

pub fn run(verb: &Verb) -> Result<ExitCode, String> {
    let identity = Identity::this_installation().map_err(|e| e.to_string())?;
    match verb {
        Verb::Show { letter: true } => {
            sayln!("{}", identity.letter_key());
            esayln!(
                "This is your letter-signing key: if you chair panels, give it to the BDU office with your public key ({}), which certifies it so that the letters you issue show as signed by you in any PDF reader. It is not secret; its private half is derived from your private key in {} and never leaves this computer.",
                keys::short(&identity.public()),
                keys::key_dir().display()
            );
        }
        Verb::Show { letter: false } => {
            sayln!("{}", identity.public());
            esayln!(
                "This is your public key ({}): give it to the chair and the BDU; it is not secret. The private key is in {} and never leaves this computer. If you chair panels, give the BDU office your letter-signing key too (`csu-assess key show --letter`).",
                keys::short(&identity.public()),
                keys::key_dir().display()
            );
        }
        Verb::Export { name, output } => {
            super::write_file(output, keys::known_entry(name, &identity).as_bytes())?;
            sayln!(
                "Wrote {} for the BDU office to enrol in its roster: {} ({})",
                output.display(),
                name.trim(),
                keys::short(&identity.public())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
