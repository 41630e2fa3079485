// name: ceasefire_positions
// description: Who proposed which ceasefire, who supported, accepted, declined or rejected it
// params: {terms: ["ceasefire", "cease fire", "cessation", "truce", "armistice"]}
// view: table
// A proposal matches when its name or an alias contains one of the terms (case-insensitive).
MATCH (p:Proposal)
WHERE any(t IN $terms WHERE toLower(p.name) CONTAINS toLower(t)
          OR any(a IN coalesce(p.aliases, []) WHERE toLower(a) CONTAINS toLower(t)))
OPTIONAL MATCH (x:Entity)-[r:PROPOSED|SUPPORTED|AGREED_TO|REJECTED]->(p)
WITH p, x, r
ORDER BY x.name
WITH p,
     collect(CASE WHEN type(r) = 'PROPOSED' AND NOT r.negated THEN x.name END) AS proposed_by,
     collect(CASE WHEN type(r) = 'SUPPORTED' AND NOT r.negated THEN x.name END) AS supported_by,
     collect(CASE WHEN type(r) = 'AGREED_TO' AND NOT r.negated THEN x.name END) AS accepted_by,
     collect(CASE WHEN type(r) = 'AGREED_TO' AND r.negated THEN x.name END) AS not_accepted_by,
     collect(CASE WHEN type(r) = 'REJECTED' AND NOT r.negated THEN x.name END) AS rejected_by
RETURN p.name AS proposal, proposed_by, supported_by, accepted_by, not_accepted_by, rejected_by
ORDER BY proposal
