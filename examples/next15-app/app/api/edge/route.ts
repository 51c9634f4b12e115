export const runtime = 'edge'

export { GET, POST } from '../../../../next-app/app/api/edge/route'
