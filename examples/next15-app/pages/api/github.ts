export const config = { api: { bodyParser: false } }

export { default } from '../../../next-app/pages/api/github'
