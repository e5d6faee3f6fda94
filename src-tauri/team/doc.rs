//! A shared record as an Automerge document, and back.
//!
//! The records keep their serde shape: a record is turned into JSON and the
//! JSON is reconciled into the document by `autosurgeon`, which writes only
//! what differs (a changed field is one operation). Lists of items with an
//! `"id"` are matched by id, so two members' new contacts are both inserted
//! and an edit lands on the right item; lists without ids (timelines) are
//! matched by position, so entries appended on two PCs are both kept.
//! Reading the document back gives the JSON again, merged.
//!
//! A field two members set while apart holds both values until someone sets
//! it again; Automerge picks the same winner on every PC, and
//! [`conflicts`] lists the others with their authors so the account page can
//! show them.

use automerge::transaction::CommitOptions;
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value as AmValue, ValueRef, ROOT};
use autosurgeon::reconcile::{LoadKey, MapReconciler};
use autosurgeon::{Prop, Reconcile, ReconcileError, Reconciler};
use serde_json::{Map, Number, Value};

/// JSON as autosurgeon reconciles it.
struct Json<'a>(&'a Value);

impl Reconcile for Json<'_> {
    type Key<'k> = u64;

    fn reconcile<R: Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        match self.0 {
            Value::Null => r.none(),
            Value::Bool(b) => r.boolean(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => r.u64(u),
                (_, Some(i), _) => r.i64(i),
                (_, _, f) => r.f64(f.unwrap_or(0.0)),
            },
            Value::String(s) => r.str(s),
            Value::Array(items) => items.iter().map(Json).collect::<Vec<_>>().reconcile(r),
            Value::Object(fields) => {
                let mut map = r.map()?;
                let gone: Vec<String> = map.entries().map(|(k, _)| k.to_string()).filter(|k| !fields.contains_key(k)).collect();
                for k in gone {
                    map.delete(k)?;
                }
                for (k, v) in fields {
                    // A field that shows this value already is left alone:
                    // writing it again would settle a conflict nobody chose.
                    let same = matches!(map.entry(k), Some(AmValue::Scalar(s)) if scalar(&s) == *v);
                    if !same {
                        map.put(k, Json(v))?;
                    }
                }
                Ok(())
            }
        }
    }

    fn hydrate_key<'k, D: autosurgeon::ReadDoc>(doc: &D, obj: &ObjId, prop: Prop<'_>) -> Result<LoadKey<Self::Key<'k>>, ReconcileError> {
        let inner = match prop {
            Prop::Key(k) => doc.get(obj, k.as_ref()),
            Prop::Index(i) => doc.get(obj, i as usize),
        };
        let id = match inner? {
            Some((AmValue::Object(ObjType::Map), inner)) => doc.get(&inner, "id")?.and_then(|(v, _)| v.as_u64()),
            _ => None,
        };
        Ok(id.map_or(LoadKey::NoKey, LoadKey::Found))
    }

    fn key(&self) -> LoadKey<u64> {
        match self.0.get("id").and_then(Value::as_u64) {
            Some(id) => LoadKey::Found(id),
            None => LoadKey::NoKey,
        }
    }
}

/// A new document of the kind `skeleton` describes. Every PC starts a
/// document from the same first change — the same bytes, so the same hash —
/// holding the maps and lists the records are written into. Two PCs that
/// start one document while apart then fill the same maps and lists, which
/// merge field by field; each making its own would hide the other's.
pub fn start(skeleton: &Value) -> AutoCommit {
    let mut doc = AutoCommit::new().with_actor(ActorId::from(b"vitalfew".as_slice()));
    write(&mut doc, skeleton).expect("a skeleton reconciles");
    doc.commit_with(CommitOptions::default().with_time(0));
    doc
}

/// Makes the document hold `value` (a JSON object), writing only what differs.
pub fn write(doc: &mut AutoCommit, value: &Value) -> Result<(), ReconcileError> {
    autosurgeon::reconcile(doc, Json(value))
}

/// The document as JSON.
pub fn read(doc: &AutoCommit) -> Value {
    read_obj(doc, &ROOT)
}

fn read_obj(doc: &AutoCommit, obj: &ObjId) -> Value {
    match doc.object_type(obj) {
        Ok(ObjType::Text) => Value::String(doc.text(obj).unwrap_or_default()),
        Ok(ObjType::List) => Value::Array((0..doc.length(obj)).filter_map(|i| doc.get(obj, i).ok().flatten()).map(|(v, id)| value(doc, v, &id)).collect()),
        _ => Value::Object(
            doc.keys(obj)
                .filter_map(|k| {
                    let (v, id) = doc.get(obj, k.as_str()).ok().flatten()?;
                    Some((k, value(doc, v, &id)))
                })
                .collect::<Map<_, _>>(),
        ),
    }
}

fn value(doc: &AutoCommit, v: AmValue<'_>, id: &ObjId) -> Value {
    match v {
        AmValue::Object(_) => read_obj(doc, id),
        AmValue::Scalar(s) => scalar(&s),
    }
}

fn scalar(s: &ScalarValue) -> Value {
    match s {
        ScalarValue::Str(s) => Value::String(s.to_string()),
        ScalarValue::Int(i) => Value::from(*i),
        ScalarValue::Uint(u) => Value::from(*u),
        ScalarValue::F64(f) => Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        ScalarValue::Boolean(b) => Value::Bool(*b),
        ScalarValue::Timestamp(t) => Value::from(*t),
        // Not written by us (counters, bytes, null): nothing the records hold.
        _ => Value::Null,
    }
}

/// The actor of a member's PC: their name, a zero byte, and eight random
/// bytes (two PCs of one member must not share an actor).
pub fn actor(member: &str, pc: &[u8; 8]) -> ActorId {
    ActorId::from([member.as_bytes(), &[0], pc].concat())
}

/// Who an actor is: the member's name.
pub fn author(actor: &ActorId) -> String {
    let bytes = actor.to_bytes();
    let name = bytes.split(|b| *b == 0).next().unwrap_or_default();
    String::from_utf8_lossy(name).into_owned()
}

/// A field two members set while apart: where it is, the value every PC
/// shows, and the other value with who set it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The keys from the root to the field, list positions as the item's id
    /// when it has one (`["notebook", "contacts", "7", "phone"]`).
    pub path: Vec<String>,
    pub shown: Value,
    pub shown_by: String,
    pub other: Value,
    pub other_by: String,
}

/// Every field that holds more than one value, under the root's `under` key.
pub fn conflicts(doc: &AutoCommit, under: &str) -> Vec<Conflict> {
    let mut out = Vec::new();
    if let Ok(Some((AmValue::Object(_), obj))) = doc.get(ROOT, under) {
        walk(doc, &obj, &mut vec![under.to_string()], &mut out);
    }
    out
}

fn walk(doc: &AutoCommit, obj: &ObjId, path: &mut Vec<String>, out: &mut Vec<Conflict>) {
    // The range iterators flag a field with several values, so only those
    // are looked at closely.
    let fields: Vec<(String, automerge::Prop, bool, Option<ObjId>)> = match doc.object_type(obj) {
        Ok(ObjType::Map) | Ok(ObjType::Table) => doc
            .map_range(obj, ..)
            .map(|item| {
                let inner = matches!(item.value, ValueRef::Object(_)).then(|| item.id());
                (item.key.to_string(), automerge::Prop::Map(item.key.to_string()), item.conflict, inner)
            })
            .collect(),
        Ok(ObjType::List) => doc
            .list_range(obj, ..)
            .map(|item| {
                let inner = matches!(item.value, ValueRef::Object(_)).then(|| item.id());
                // An item is named by its id, when it has one.
                let id = inner.as_ref().and_then(|o| doc.get(o, "id").ok().flatten()).and_then(|(v, _)| v.as_u64());
                (id.map_or_else(|| item.index.to_string(), |id| id.to_string()), automerge::Prop::Seq(item.index), item.conflict, inner)
            })
            .collect(),
        _ => return,
    };
    for (name, prop, conflict, inner) in fields {
        path.push(name);
        match inner {
            Some(inner) if !conflict => walk(doc, &inner, path, out),
            _ if conflict => conflicting(doc, obj, prop, path, out),
            _ => {}
        }
        path.pop();
    }
}

/// The values a field holds besides the one shown.
fn conflicting(doc: &AutoCommit, obj: &ObjId, prop: automerge::Prop, path: &[String], out: &mut Vec<Conflict>) {
    let all = doc.get_all(obj, prop.clone()).unwrap_or_default();
    match doc.get(obj, prop) {
        Ok(Some((AmValue::Object(_), inner))) => walk(doc, &inner, &mut path.to_vec(), out),
        Ok(Some((AmValue::Scalar(shown), shown_id))) => {
            for (other, other_id) in all.iter().filter(|(_, id)| *id != shown_id) {
                // Two members who typed the same thing do not disagree.
                if let AmValue::Scalar(other) = other {
                    if scalar(other) != scalar(&shown) {
                        out.push(Conflict {
                            path: path.to_vec(),
                            shown: scalar(&shown),
                            shown_by: op_author(&shown_id),
                            other: scalar(other),
                            other_by: op_author(other_id),
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

fn op_author(id: &ObjId) -> String {
    match id {
        automerge::ObjId::Id(_, actor, _) => author(actor),
        automerge::ObjId::Root => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn member(name: &str) -> AutoCommit {
        AutoCommit::new().with_actor(actor(name, &[7; 8]))
    }

    fn merged(a: &mut AutoCommit, b: &mut AutoCommit) {
        a.merge(b).unwrap();
        b.merge(a).unwrap();
    }

    #[test]
    fn json_goes_in_and_comes_back_the_same() {
        let value = json!({
            "phase": "stabilize", "since": "2026-11-02", "none": null, "yes": true, "n": 3, "neg": -4, "hours": 1.5, "zero": 2.0,
            "contacts": [{"id": 257, "name": "王伟", "phone": "138"}, {"id": 2, "name": "李娜", "roles": ["user"]}],
            "timeline": [{"at": "2026-12-05T10:00:00+08:00", "label": "a"}],
            "checklist": {"known_needs": true}
        });
        let mut doc = member("wang");
        write(&mut doc, &value).unwrap();
        assert_eq!(read(&doc), value);
        let bytes = doc.save();
        assert_eq!(read(&AutoCommit::load(&bytes).unwrap()), value);
        // Nothing changed: nothing written.
        let heads = doc.get_heads();
        write(&mut doc, &value).unwrap();
        assert_eq!(doc.get_heads(), heads);
    }

    #[test]
    fn items_are_matched_by_id_and_appended_entries_both_kept() {
        let base = json!({"contacts": [{"id": 1, "name": "王伟", "phone": "138"}], "timeline": [{"label": "a"}]});
        let mut a = member("王伟");
        write(&mut a, &base).unwrap();
        let mut b = a.fork().with_actor(actor("李娜", &[1; 8]));
        let mut on_a = base.clone();
        on_a["contacts"].as_array_mut().unwrap().push(json!({"id": 257, "name": "张三"}));
        on_a["timeline"].as_array_mut().unwrap().push(json!({"label": "by a"}));
        let mut on_b = base.clone();
        on_b["contacts"].as_array_mut().unwrap().insert(0, json!({"id": 258, "name": "赵六"}));
        on_b["contacts"][1]["name"] = json!("王伟 (经理)");
        on_b["timeline"].as_array_mut().unwrap().push(json!({"label": "by b"}));
        write(&mut a, &on_a).unwrap();
        write(&mut b, &on_b).unwrap();
        merged(&mut a, &mut b);
        let (ra, rb) = (read(&a), read(&b));
        assert_eq!(ra, rb);
        let ids: Vec<u64> = ra["contacts"].as_array().unwrap().iter().map(|c| c["id"].as_u64().unwrap()).collect();
        assert_eq!(ids.len(), 3, "{ra}");
        assert!(ids.contains(&257) && ids.contains(&258));
        let wang = ra["contacts"].as_array().unwrap().iter().find(|c| c["id"] == 1).unwrap();
        assert_eq!(wang["name"], "王伟 (经理)");
        assert_eq!(wang["phone"], "138");
        assert_eq!(ra["timeline"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn the_value_that_lost_is_listed_with_its_author_until_someone_sets_it_again() {
        let base = json!({"notebook": {"contacts": [{"id": 1, "name": "王伟", "phone": "138"}]}});
        let mut a = member("王伟");
        write(&mut a, &base).unwrap();
        let mut b = a.fork().with_actor(actor("李娜", &[1; 8]));
        let mut on_a = base.clone();
        on_a["notebook"]["contacts"][0]["phone"] = json!("139 A");
        let mut on_b = base.clone();
        on_b["notebook"]["contacts"][0]["phone"] = json!("137 B");
        write(&mut a, &on_a).unwrap();
        write(&mut b, &on_b).unwrap();
        merged(&mut a, &mut b);
        let shown = read(&a)["notebook"]["contacts"][0]["phone"].clone();
        assert_eq!(read(&b)["notebook"]["contacts"][0]["phone"], shown);
        let found = conflicts(&a, "notebook");
        assert_eq!(found.len(), 1, "{found:?}");
        let c = &found[0];
        assert_eq!(c.path, ["notebook", "contacts", "1", "phone"]);
        assert_eq!(c.shown, shown);
        let (winner, loser) = if shown == "139 A" { ("王伟", ("137 B", "李娜")) } else { ("李娜", ("139 A", "王伟")) };
        assert_eq!((c.shown_by.as_str(), c.other.as_str().unwrap(), c.other_by.as_str()), (winner, loser.0, loser.1));
        // Writing the merged record back (an edit elsewhere) keeps it listed.
        let mut later = read(&a);
        later["notebook"]["contacts"][0]["name"] = json!("王伟 总");
        write(&mut a, &later).unwrap();
        assert_eq!(conflicts(&a, "notebook").len(), 1);
        // Setting the field again settles it.
        later["notebook"]["contacts"][0]["phone"] = json!("136");
        write(&mut a, &later).unwrap();
        assert!(conflicts(&a, "notebook").is_empty());
    }

    #[test]
    fn an_actor_names_its_member() {
        assert_eq!(author(&actor("李娜", &[0, 1, 2, 3, 4, 5, 6, 7])), "李娜");
    }
}
