//! ARM lists through core `az rest --method get --url <url>`, for the resource types whose az
//! commands are extensions': the REST body (`{"value": [...], "nextLink": ...}`, each item with
//! its `properties` nested) and its further pages, `nextLink` (an absolute URL) followed as is,
//! each page a recorded call. A URL starting with `/` is ARM's path: az puts the current cloud's
//! endpoint before it.

use serde_json::Value;

use super::discover::text;
use super::run::{Command, Run};
use crate::CollectError;

/// The most pages one list is read to (the rest is left unread, and said).
pub(super) const PAGES: usize = 20;

/// What a list (or several) answered: the place in the manifest of the call that notes the
/// file, and every item of every page.
pub(super) struct Listed {
    pub(super) at: usize,
    pub(super) items: Vec<Value>,
}

/// `GET url` with `c`, its pages followed; `None` when a page gave no list (refused or failed:
/// recorded), since a part of a list cannot say what is not in it.
pub(super) async fn get(run: &mut Run<'_>, c: &Command, url: &str) -> Option<Listed> {
    let mut items = Vec::new();
    let mut first = None;
    let mut next = Some(url.to_owned());
    for _ in 0..PAGES {
        let Some(url) = next.take() else {
            break;
        };
        let (at, answer) = run
            .call(c, &["--method", "get", "--url", &url], c.reads)
            .await;
        first.get_or_insert(at);
        let page = answer.ok()?;
        items.extend(page.get("value")?.as_array()?.iter().cloned());
        next = text(&page, &["nextLink"])
            .filter(|l| !l.is_empty())
            .map(str::to_owned);
    }
    if let Some(url) = next {
        (run.on_line)(&format!(
            "  az rest --url {url}: more than {PAGES} pages; the rest is not read"
        ));
    }
    Some(Listed { at: first?, items })
}

/// [`get`] for each of `urls` (no call when there is none): the items of every list that
/// answered, noted on the last; `None` when none did.
pub(super) async fn each(run: &mut Run<'_>, c: &Command, urls: &[String]) -> Option<Listed> {
    let mut all: Option<Listed> = None;
    for url in urls {
        if let Some(listed) = get(run, c, url).await {
            match &mut all {
                Some(a) => {
                    a.at = listed.at;
                    a.items.extend(listed.items);
                }
                None => all = Some(listed),
            }
        }
    }
    all
}

/// What `keep` says of `listed`, written as `file` when anything is kept.
pub(super) fn keep(
    run: &mut Run<'_>,
    listed: Option<Listed>,
    file: &str,
    keep: impl Fn(&Value) -> bool,
) -> Result<Vec<Value>, CollectError> {
    let Some(listed) = listed else {
        return Ok(Vec::new());
    };
    let total = listed.items.len();
    let kept: Vec<Value> = listed.items.into_iter().filter(|v| keep(v)).collect();
    if !kept.is_empty() {
        run.write(listed.at, file, kept.clone(), total)?;
    }
    Ok(kept)
}

/// The URLs of a child list of each of `ids` (`{id}/{child}?api-version={version}`).
pub(super) fn children<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    child: &str,
    version: &str,
) -> Vec<String> {
    ids.into_iter()
        .map(|id| format!("{}/{child}?api-version={version}", id.trim_end_matches('/')))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_list_s_url_is_its_parent_s_id_and_the_api_version() {
        assert_eq!(
            children(
                ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/fd/"],
                "afdEndpoints",
                "2024-02-01"
            ),
            [
                "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/fd/afdEndpoints?api-version=2024-02-01"
            ]
        );
        assert!(children([], "routes", "2024-02-01").is_empty());
    }
}
