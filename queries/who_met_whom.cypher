// name: who_met_whom
// description: Who met whom in a period: meetings, talks and calls with an event date between since and until
// params: {since: "2024-01-01", until: "2024-12-31"}
// view: table
// Dates may be partial ("2024-07"), and a date overlaps the period when it does at its own precision.
MATCH (a:Entity)-[r:MET]->(b:Entity)
WHERE NOT coalesce(r.negated, false)
WITH a, b, r,
     [d IN coalesce(r.dates, [])
      WHERE left(d, size($since)) >= left($since, size(d))
        AND left(d, size($until)) <= left($until, size(d))] AS in_period
WHERE size(in_period) > 0
RETURN a.name AS actor, b.name AS met, in_period AS dates, r.articles AS articles
ORDER BY dates[0], actor, met
