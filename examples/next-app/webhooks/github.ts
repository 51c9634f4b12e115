import { createWebhookHandler } from '@hookguard/core'
import { record } from './seen'

/** GitHub sends the event in `X-GitHub-Event`; hookguard appends the payload's `action`. */
export type GithubEvents = {
  'issues.opened': { action: 'opened'; issue: { number: number; title: string }; repository: { full_name: string } }
}

export const githubHooks = createWebhookHandler<GithubEvents>({
  scheme: 'github',
  secret: process.env.GITHUB_WEBHOOK_SECRET as string,
  maxBodyBytes: 64 * 1024,
})

githubHooks.on('issues.opened', (event) => {
  record({ route: 'pages/github (nodejs)', id: event.id, type: event.type, detail: event.payload.issue.title })
})
