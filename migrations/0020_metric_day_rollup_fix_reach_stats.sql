-- Problem fix reach (issue 7, performance): the planner guessed that almost every 'informed' event
-- carries a problemId (the default for an unknown expression), so it hashed every metric fact
-- twice (1.5 s on 1M items) for the handful of events a fix wrote. Statistics on the expression
-- tell it how few there are; they cost writes nothing.
create statistics if not exists item_events_problem_id_stats on ((data ->> 'problemId')) from item_events;
analyze item_events;
