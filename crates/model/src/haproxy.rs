//! HAProxy's statistics page as CSV (`stats uri`, then `;csv`), as text: the body of its
//! answer and the table in it. The drain checker reads retry counters from it, the container
//! test bed its servers' states. Parsing only: the callers fetch the page.

/// The body of HAProxy's answer to a statistics request (HTTP/1.x, head and body): the
/// status must be 200; a chunked body (HAProxy streams the page in chunks, even to HTTP/1.0)
/// is joined.
pub fn answer_body(answer: &str) -> Result<String, String> {
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or("the answer is not HTTP")?;
    let status = head.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(format!("it answered {status:?}"));
    }
    let chunked = head
        .lines()
        .any(|l| l.to_ascii_lowercase().replace(' ', "") == "transfer-encoding:chunked");
    if chunked {
        dechunk(body).ok_or_else(|| "the chunked answer is cut short".to_owned())
    } else {
        Ok(body.to_owned())
    }
}

/// A chunked body's content; `None` when it is cut short or malformed.
pub fn dechunk(mut body: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n")?;
        let size = usize::from_str_radix(size.split(';').next()?.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        body = rest.get(size..)?.strip_prefix("\r\n")?;
    }
}

/// The CSV: the header's column names and the rows, fields split at commas (HAProxy quotes
/// nothing in the columns read here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsTable<'a> {
    columns: Vec<&'a str>,
    rows: Vec<Vec<&'a str>>,
}

impl<'a> StatsTable<'a> {
    /// Reads the `# pxname,svname,...` header and every non-blank line after it.
    pub fn parse(text: &'a str) -> Result<Self, String> {
        let mut lines = text.lines();
        let header = lines.next().and_then(|l| l.strip_prefix("# ")).ok_or(
            "no \"# pxname,svname,...\" header line: is this HAProxy's CSV (stats uri with ;csv)?",
        )?;
        Ok(StatsTable {
            columns: header.split(',').collect(),
            rows: lines
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.split(',').collect())
                .collect(),
        })
    }

    /// The index of the column `name`.
    pub fn column(&self, name: &str) -> Result<usize, String> {
        self.columns
            .iter()
            .position(|c| *c == name)
            .ok_or(format!("no {name} column"))
    }

    /// The rows, each its fields.
    pub fn rows(&self) -> &[Vec<&'a str>] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(
            dechunk("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").as_deref(),
            Some("hello, world")
        );
        assert_eq!(dechunk("5\r\nhel"), None);
        assert_eq!(dechunk("zz\r\n"), None);
    }

    #[test]
    fn the_body_of_a_200_answer_plain_or_chunked() {
        assert_eq!(
            answer_body("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n# a\n").as_deref(),
            Ok("# a\n")
        );
        assert_eq!(
            answer_body(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n# a\n\r\n0\r\n\r\n"
            )
            .as_deref(),
            Ok("# a\n")
        );
        let refused = answer_body("HTTP/1.1 503 Service Unavailable\r\n\r\nno").unwrap_err();
        assert!(refused.contains("it answered \"HTTP/1.1 503"), "{refused}");
        assert_eq!(
            answer_body("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n9\r\n# a"),
            Err("the chunked answer is cut short".to_owned())
        );
        assert_eq!(
            answer_body("not http"),
            Err("the answer is not HTTP".to_owned())
        );
    }

    #[test]
    fn the_table_has_named_columns_and_no_blank_rows() {
        let table =
            StatsTable::parse("# pxname,svname,status\napi,zone-a,UP\n\napi,BACKEND,UP\n").unwrap();
        assert_eq!(table.column("status"), Ok(2));
        assert_eq!(table.column("wretr"), Err("no wretr column".to_owned()));
        assert_eq!(
            table.rows(),
            &[vec!["api", "zone-a", "UP"], vec!["api", "BACKEND", "UP"]]
        );
        let html = StatsTable::parse("<html>stats</html>").unwrap_err();
        assert!(html.contains("no \"# pxname,svname,...\" header"), "{html}");
    }
}
