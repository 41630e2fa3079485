// name: new_facts_since
// description: New facts since a date: facts first reported by an article published on or after it
// params: {since: "2024-01-01"}
// view: table
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.first_seen IS NOT NULL
  AND left(r.first_seen, size($since)) >= left($since, size(r.first_seen))
RETURN r.first_seen AS first_seen, s.name AS subject, type(r) AS relation, o.name AS object,
       r.negated AS negated, r.articles AS articles
ORDER BY first_seen, relation, subject, object
