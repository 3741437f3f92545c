//! Typed access to a builtin's `[builtin.params]` table, rejecting unknown keys.

use std::cell::RefCell;
use std::collections::BTreeSet;

/// A builtin's parameters; every key read is remembered so that [`Params::finish`]
/// can reject the keys nobody asked for (typos in rule files).
pub struct Params<'a> {
    table: &'a toml::Table,
    used: RefCell<BTreeSet<String>>,
}

impl<'a> Params<'a> {
    /// Wraps a parameter table.
    pub fn new(table: &'a toml::Table) -> Self {
        Params { table, used: RefCell::new(BTreeSet::new()) }
    }

    fn get(&self, key: &str) -> Option<&'a toml::Value> {
        self.used.borrow_mut().insert(key.to_string());
        self.table.get(key)
    }

    /// An integer parameter with a default.
    pub fn usize(&self, key: &str, default: usize) -> Result<usize, String> {
        match self.get(key) {
            None => Ok(default),
            Some(toml::Value::Integer(i)) if *i >= 0 => Ok(*i as usize),
            Some(v) => Err(format!("param {key:?} must be a non-negative integer, got {v}")),
        }
    }

    /// A float parameter with a default.
    pub fn f64(&self, key: &str, default: f64) -> Result<f64, String> {
        match self.get(key) {
            None => Ok(default),
            Some(toml::Value::Float(f)) => Ok(*f),
            Some(toml::Value::Integer(i)) => Ok(*i as f64),
            Some(v) => Err(format!("param {key:?} must be a number, got {v}")),
        }
    }

    /// A boolean parameter with a default.
    pub fn bool(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.get(key) {
            None => Ok(default),
            Some(toml::Value::Boolean(b)) => Ok(*b),
            Some(v) => Err(format!("param {key:?} must be true or false, got {v}")),
        }
    }

    /// A string parameter with a default.
    pub fn string(&self, key: &str, default: &str) -> Result<String, String> {
        match self.get(key) {
            None => Ok(default.to_string()),
            Some(toml::Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(format!("param {key:?} must be a string, got {v}")),
        }
    }

    /// A list-of-strings parameter with a default.
    pub fn strings(&self, key: &str, default: &[&str]) -> Result<Vec<String>, String> {
        match self.get(key) {
            None => Ok(default.iter().map(|s| s.to_string()).collect()),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| {
                    v.as_str().map(str::to_string).ok_or_else(|| format!("param {key:?} must be a list of strings"))
                })
                .collect(),
            Some(v) => Err(format!("param {key:?} must be a list of strings, got {v}")),
        }
    }

    /// Fails on keys that no getter asked for.
    pub fn finish(&self) -> Result<(), String> {
        let used = self.used.borrow();
        let unknown: Vec<_> = self.table.keys().filter(|k| !used.contains(*k)).cloned().collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "unknown param(s) {}; known: {}",
                unknown.join(", "),
                used.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
        }
    }
}
