import { z } from 'zod';
import { boardStatus, portalSlug } from './portal.ts';

// ---- Customer side: the suggestions board ---------------------------------------------------

export const suggestionSorts = ['top', 'new'] as const;
export type SuggestionSort = (typeof suggestionSorts)[number];

export const boardQuery = z.strictObject({
  workspace: portalSlug
    .optional()
    .describe('The portal slug; optional when signed in or on a one-workspace server.'),
  status: boardStatus.optional().describe('Only suggestions with this board status.'),
  sort: z.enum(suggestionSorts).default('top').describe('top: most votes first; new: newest first.'),
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type BoardQuery = z.input<typeof boardQuery>;

export const boardItemQuery = z.strictObject({
  workspace: portalSlug
    .optional()
    .describe('The portal slug; optional when signed in or on a one-workspace server.'),
});

/** A suggestion as the board shows it: never who submitted it or who voted. */
export const boardSuggestion = z.object({
  id: z.string(),
  ref: z.number().int(),
  subject: z.string(),
  body: z.string(),
  status: boardStatus,
  statusLabel: z.string(),
  response: z.string().nullable().describe("Staff's public response; the reason when declined."),
  statusChangedAt: z.string().nullable(),
  createdAt: z.string(),
  voteCount: z.number().int(),
  commentCount: z.number().int(),
  votedByMe: z.boolean().describe('Always false when nobody is signed in.'),
});
export type BoardSuggestion = z.infer<typeof boardSuggestion>;

export const boardPage = z.object({
  data: z.array(boardSuggestion),
  next: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page.'),
});
export type BoardPage = z.infer<typeof boardPage>;

/** A comment: customers show by first name only, staff as "<Workspace> team · <first name>". */
export const suggestionComment = z.object({
  id: z.string(),
  author: z.string(),
  byStaff: z.boolean(),
  body: z.string(),
  createdAt: z.string(),
});
export type SuggestionComment = z.infer<typeof suggestionComment>;

export const boardSuggestionDetail = boardSuggestion.extend({ comments: z.array(suggestionComment) });
export type BoardSuggestionDetail = z.infer<typeof boardSuggestionDetail>;

export const voteResult = z.object({ voteCount: z.number().int(), votedByMe: z.boolean() });
export type VoteResult = z.infer<typeof voteResult>;

const commentBody = z
  .string()
  .trim()
  .min(1, 'must not be empty: write your comment')
  .max(5000, 'must be at most 5000 characters');

export const customerCommentInput = z.strictObject({
  body: commentBody,
  /** Honeypot: people leave it empty; a bot that fills it gets a 201 and nothing is stored. */
  website: z.string().max(500).optional(),
});
export type CustomerCommentInput = z.infer<typeof customerCommentInput>;

// ---- Staff side: triage ------------------------------------------------------------------------

export const boardFilters = ['on', 'off', 'all'] as const;
export type BoardFilter = (typeof boardFilters)[number];

export const triageQuery = z.strictObject({
  board: z.enum(boardFilters).default('all').describe('on: on the board; off: not on it yet; all: both.'),
  status: boardStatus.optional().describe('Only suggestions with this board status (implies board=on).'),
  after: z.string().max(200).optional().describe('The `next` cursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TriageQuery = z.input<typeof triageQuery>;

export const triageSuggestion = z.object({
  id: z.string(),
  ref: z.number().int(),
  subject: z.string(),
  itemStatus: z.string(),
  boardStatus: boardStatus.nullable(),
  boardResponse: z.string().nullable(),
  boardUpdatedAt: z.string().nullable(),
  voteCount: z.number().int(),
  commentCount: z.number().int(),
  createdAt: z.string(),
});
export type TriageSuggestion = z.infer<typeof triageSuggestion>;

export const triagePage = z.object({
  data: z.array(triageSuggestion),
  next: z.string().nullable().describe('Pass as `after` to get the next page; null on the last page.'),
});
export type TriagePage = z.infer<typeof triagePage>;

export const triageDetail = triageSuggestion.extend({ comments: z.array(suggestionComment) });
export type TriageDetail = z.infer<typeof triageDetail>;

export const boardUpdateInput = z
  .strictObject({
    boardStatus: boardStatus.nullable().describe('null takes the suggestion off the board.'),
    boardResponse: z
      .string()
      .trim()
      .max(5000, 'must be at most 5000 characters')
      .nullable()
      .optional()
      .describe('The public response; required (the reason) when declining. Omit to keep the current one.'),
  })
  .superRefine((value, issue) => {
    if (value.boardStatus === 'declined' && !value.boardResponse) {
      issue.addIssue({
        code: 'custom',
        path: ['boardResponse'],
        message: 'is required when declining: tell the customers why',
      });
    }
  });
export type BoardUpdateInput = z.input<typeof boardUpdateInput>;

export const boardUpdateResult = triageSuggestion.extend({
  votersInformed: z.number().int().describe('How many voters were emailed about the new status.'),
});
export type BoardUpdateResult = z.infer<typeof boardUpdateResult>;

export const staffCommentInput = z.strictObject({ body: commentBody });
export type StaffCommentInput = z.infer<typeof staffCommentInput>;
