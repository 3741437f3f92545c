//! `ocrclean rules list | explain ID | test [PATH…]`.

use super::RuleArgs;
use crate::rules::examples::run_examples;
use crate::rules::registry::RuleSet;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub(crate) enum RulesCommand {
    /// List every rule: id, name, phase, safety, default.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Print a rule's documentation and examples.
    Explain {
        /// Rule id or name.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the examples of the built-in rules and of the given rule files.
    Test {
        /// Rule files or folders to test (default: the built-in rules).
        paths: Vec<PathBuf>,
    },
}

pub(crate) fn run(cmd: RulesCommand) -> u8 {
    match cmd {
        RulesCommand::List { rules } => match rules.load() {
            Err(e) => {
                eprintln!("{e}");
                2
            }
            Ok((set, _, _)) => {
                for r in set.all() {
                    let m = &r.meta;
                    outln!(
                        "{:<6} {:<36} {:<12} {:<12} {}  {}",
                        m.id,
                        m.name,
                        m.phase.name(),
                        format!("{:?}", m.fix_safety).to_lowercase(),
                        if m.default_enabled { "default" } else { "opt-in " },
                        m.summary
                    );
                }
                0
            }
        },
        RulesCommand::Explain { id, rules } => match rules.load() {
            Err(e) => {
                eprintln!("{e}");
                2
            }
            Ok((set, _, _)) => {
                let Some(r) =
                    set.get(&id).or_else(|| set.all().find(|r| r.meta.name == id || r.meta.aliases.contains(&id)))
                else {
                    eprintln!("error: no rule with id, name or alias {id:?}");
                    return 2;
                };
                let m = &r.meta;
                outln!("{} ({}): {}\n", m.id, m.name, m.summary);
                outln!(
                    "Phase: {}   Mechanism: {}   Fix safety: {:?}   {}",
                    m.phase,
                    m.mechanism,
                    m.fix_safety,
                    if m.default_enabled { "enabled by default" } else { "opt-in" }
                );
                outln!("Defined in: {}\n", m.source);
                outln!("## Why\n{}\n", m.why.trim());
                if let Some(k) = &m.known_problems {
                    outln!("## Known problems\n{}\n", k.trim());
                }
                outln!("## Examples");
                for e in &m.examples {
                    if e.input == e.output {
                        outln!("  unchanged: {:?}", e.input);
                    } else {
                        outln!("  {:?}\n       → {:?}", e.input, e.output);
                    }
                }
                0
            }
        },
        RulesCommand::Test { paths } => {
            let mut set = match RuleSet::builtin() {
                Ok(s) => s,
                Err(errs) => {
                    errs.iter().for_each(|e| eprintln!("error: {e}"));
                    return 2;
                }
            };
            let builtin_ids: Vec<String> = set.all().map(|r| r.meta.id.clone()).collect();
            let mut test_ids = if paths.is_empty() { builtin_ids } else { Vec::new() };
            for p in &paths {
                if let Err(errs) = set.load_path(p) {
                    errs.iter().for_each(|e| eprintln!("error: {e}"));
                    return 2;
                }
                // The rules of the files given, also when a file is a built-in
                // rule's own (an edited `rules/layout/L004-photo-caption.toml`).
                for r in set.all().filter(|r| std::path::Path::new(&r.meta.source).starts_with(p)) {
                    if !test_ids.contains(&r.meta.id) {
                        test_ids.push(r.meta.id.clone());
                    }
                }
            }
            let (mut total, mut failed) = (0, 0);
            for id in &test_ids {
                let rule = set.get(id).expect("listed").clone();
                let (n, failures) = run_examples(&rule, &set);
                total += n;
                failed += failures.len();
                for f in failures {
                    eprintln!("FAIL {f}");
                }
            }
            outln!("{} rules, {total} examples, {failed} failed", test_ids.len());
            if failed > 0 {
                2
            } else {
                0
            }
        }
    }
}
